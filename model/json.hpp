#pragma once
// A small streaming JSON writer for --format json outputs. Keys keep insertion order, strings
// are escaped (control characters, quotes, invalid UTF-8 replaced), numbers printed by fmt.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace microseg {

class JsonWriter {
public:
    explicit JsonWriter(bool pretty = true) : pretty_(pretty) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(bool b);
    JsonWriter& value(std::int64_t n);
    JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
    JsonWriter& value(std::size_t n) { return value(static_cast<std::int64_t>(n)); }
    JsonWriter& value(double d);
    JsonWriter& null();
    // key + value in one call.
    template <class T>
    JsonWriter& field(std::string_view k, const T& v) { key(k); return value(v); }

    // The document; complete once every begin has its end.
    const std::string& str() const { return out_; }
    // Hands over what is written so far and forgets it (not the state): a large document
    // written a piece at a time.
    std::string take() { return std::exchange(out_, {}); }

private:
    void before_value();
    void newline();
    std::string out_;
    std::vector<bool> first_in_level_;  // per open container: no element written yet
    bool after_key_ = false;
    bool pretty_;
};

std::string json_escape(std::string_view s);

}  // namespace microseg
