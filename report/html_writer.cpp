#include "report/html_writer.hpp"

#include <fmt/format.h>

namespace microseg::report {

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            case '\t': case '\n': case '\r': out += c; break;
            // Device text (an audit reason quoting a switch's answer) may hold ESC, BEL or NUL; HTML
            // forbids them even as references, and a report saved and later `cat`ed must not
            // drive a terminal. Shown as \xHH, as the text reports do (model/printable.hpp).
            default:
                if (u < 0x20 || u == 0x7f) out += fmt::format("\\x{:02x}", u);
                else out += c;
        }
    }
    return out;
}

HtmlWriter& HtmlWriter::open(std::string_view tag, const Attributes& attributes) {
    out_ += '<';
    out_ += tag;
    for (const auto& a : attributes) {
        out_ += ' ';
        out_ += a.name;
        out_ += "=\"";
        out_ += escape_html(a.value);
        out_ += '"';
    }
    out_ += '>';
    return *this;
}

HtmlWriter& HtmlWriter::close(std::string_view tag) {
    out_ += "</";
    out_ += tag;
    out_ += ">";
    return *this;
}

HtmlWriter& HtmlWriter::element(std::string_view tag, std::string_view text, const Attributes& attributes) {
    return open(tag, attributes).text(text).close(tag);
}

HtmlWriter& HtmlWriter::text(std::string_view text) {
    out_ += escape_html(text);
    return *this;
}

HtmlWriter& HtmlWriter::raw(std::string_view markup) {
    out_ += markup;
    return *this;
}

}  // namespace microseg::report
