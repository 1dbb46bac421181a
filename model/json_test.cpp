#include <doctest/doctest.h>

#include "model/json.hpp"

using namespace microseg;

TEST_CASE("json writer nests, escapes and separates") {
    JsonWriter w(false);
    w.begin_object()
        .field("name", "st-\"mary\"\n")
        .field("classes", 3)
        .key("list").begin_array().value(true).null().value(1.5).end_array()
        .key("empty").begin_object().end_object()
        .key("none").begin_array().end_array()
        .end_object();
    CHECK(w.str() == R"({"name":"st-\"mary\"\n","classes":3,"list":[true,null,1.5],"empty":{},"none":[]})");
}

TEST_CASE("json escape replaces control bytes and invalid UTF-8") {
    CHECK(json_escape(std::string("a\x01") + "b") == "a\\u0001b");
    CHECK(json_escape("caf\xc3\xa9") == "caf\xc3\xa9");
    CHECK(json_escape("bad\xff") == "bad\xef\xbf\xbd");
    CHECK(json_escape("cut\xc3") == "cut\xef\xbf\xbd");
}

TEST_CASE("pretty json indents by two spaces") {
    JsonWriter w;
    w.begin_object().field("a", 1).key("b").begin_array().value("x").end_array().end_object();
    CHECK(w.str() == "{\n  \"a\": 1,\n  \"b\": [\n    \"x\"\n  ]\n}");
}
