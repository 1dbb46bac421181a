#pragma once
// The report's stylesheet, inlined in <style>: screen and print (A4 landscape, colours kept).

#include <string_view>

namespace microseg::report {

std::string_view report_css();

}  // namespace microseg::report
