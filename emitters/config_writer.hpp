#pragma once
// The text every emitter renders into: a configuration file is a sequence of lines, each ended
// by '\n'. Platforms add their own block separators or counters on top (see the emitters).

#include <string>
#include <string_view>

namespace microseg {

struct ConfigWriter {
    std::string text;

    void line(std::string_view s) {
        text += s;
        text += '\n';
    }
};

}  // namespace microseg
