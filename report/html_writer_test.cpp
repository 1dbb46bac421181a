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
