#include <doctest/doctest.h>

#include "report/html_writer.hpp"

using namespace microseg::report;

TEST_CASE("escape_html turns every markup character into a reference") {
    CHECK(escape_html("<script>alert(\"x\")</script>") == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    CHECK(escape_html("a & b's") == "a &amp; b&#39;s");
    CHECK(escape_html("plain-name_1.2") == "plain-name_1.2");
    CHECK(escape_html("") == "");
}

TEST_CASE("HtmlWriter escapes text and attribute values, not its own tags") {
    HtmlWriter html;
    html.open("td", {{"title", "\"><img src=x onerror=alert(1)>"}}).text("<b>x</b>").close("td");
    CHECK(html.str() == "<td title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">&lt;b&gt;x&lt;/b&gt;</td>");
    HtmlWriter e;
    e.element("h2", "R&D <lab>", {{"id", "a"}}).raw("<hr>");
    CHECK(e.str() == "<h2 id=\"a\">R&amp;D &lt;lab&gt;</h2><hr>");
}

TEST_CASE("escape_html shows control bytes as \\xHH, keeps tab, newline and CR") {
    // A switch's answer quoted in an audit reason: retitles the terminal, hides what follows.
    CHECK(escape_html("rejected: \x1b]0;pwned\x07\x1b[8mhidden") == "rejected: \\x1b]0;pwned\\x07\\x1b[8mhidden");
    CHECK(escape_html(std::string_view("a\0b\x7f", 4)) == "a\\x00b\\x7f");
    CHECK(escape_html("a\tb\nc\rd") == "a\tb\nc\rd");
    CHECK(escape_html("caf\xc3\xa9 <\x1b>") == "caf\xc3\xa9 &lt;\\x1b&gt;");  // UTF-8 passes
    HtmlWriter html;
    html.open("p", {{"title", "x\x1b[2Ky"}}).text("\x07").close("p");
    CHECK(html.str() == "<p title=\"x\\x1b[2Ky\">\\x07</p>");
}
