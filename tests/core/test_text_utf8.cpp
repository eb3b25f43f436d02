#include "compilescope/text_utf8.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace compilescope;

namespace {

const std::string fffd = "\xEF\xBF\xBD";

std::string repeated(const std::string& text, int times)
{
    std::string result;
    for (int i = 0; i < times; ++i) {
        result += text;
    }
    return result;
}

} // namespace

TEST_CASE("valid UTF-8 comes back unchanged, multi-byte characters and NUL included", "[utf8]")
{
    for (const std::string& text : { std::string(""), std::string("host-01"), std::string("Intel(R) Xeon(R) CPU"),
             std::string("caf\xC3\xA9"), std::string("\xE2\x82\xAC 5"), std::string("\xF0\x9F\x98\x80"),
             std::string("\xEF\xBF\xBF"), std::string("\xF4\x8F\xBF\xBF"), std::string("\xED\x9F\xBF"),
             std::string("\xEE\x80\x80"), std::string("a\0b", 3), fffd }) {
        CAPTURE(text);
        CHECK(valid_utf8(text) == text);
        CHECK(is_valid_utf8(text));
    }
}

TEST_CASE("invalid single bytes each become U+FFFD", "[utf8]")
{
    CHECK(valid_utf8("host\xFF") == "host" + fffd);
    CHECK(valid_utf8("\xFF\xFE") == fffd + fffd);
    CHECK(valid_utf8("a\x80z") == "a" + fffd + "z"); // a stray continuation byte
    CHECK(valid_utf8("\xBF\xBF") == fffd + fffd);
    CHECK(valid_utf8("\xF5\x80\x80\x80") == repeated(fffd, 4)); // F5..FF never start a sequence
    CHECK_FALSE(is_valid_utf8("host\xFF"));
}

TEST_CASE("a truncated sequence becomes one U+FFFD, and what follows is kept", "[utf8]")
{
    CHECK(valid_utf8("\xC3") == fffd);
    CHECK(valid_utf8("\xE2\x82") == fffd);
    CHECK(valid_utf8("\xF0\x9F\x98") == fffd);
    CHECK(valid_utf8("\xE2\x82x") == fffd + "x");
    CHECK(valid_utf8("\xF0\x9F\x98\xC3\xA9") == fffd + "\xC3\xA9");
    CHECK_FALSE(is_valid_utf8("\xF0\x9F\x98"));
}

TEST_CASE("overlong forms, surrogates and code points above U+10FFFF are refused byte by byte", "[utf8]")
{
    CHECK(valid_utf8("\xC0\xAF") == fffd + fffd); // '/' in two bytes
    CHECK(valid_utf8("\xC1\xBF") == fffd + fffd);
    CHECK(valid_utf8("\xE0\x80\xAF") == repeated(fffd, 3));
    CHECK(valid_utf8("\xF0\x80\x80\xAF") == repeated(fffd, 4));
    CHECK(valid_utf8("\xED\xA0\x80") == repeated(fffd, 3)); // U+D800
    CHECK(valid_utf8("\xED\xBF\xBF") == repeated(fffd, 3)); // U+DFFF
    CHECK(valid_utf8("\xF4\x90\x80\x80") == repeated(fffd, 4)); // U+110000
    for (const char* text : { "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80" }) {
        CHECK_FALSE(is_valid_utf8(text));
    }
}

TEST_CASE("random bytes always come out valid, and valid output is a fixed point", "[utf8]")
{
    std::mt19937 random(13);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 24);
    int changed = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text(size_t(length(random)), '\0');
        for (char& c : text) {
            // Mostly high bytes, where the interesting sequences are.
            c = char(byte(random) | (i % 2 ? 0x80 : 0));
        }
        const std::string valid = valid_utf8(text);
        REQUIRE(is_valid_utf8(valid));
        REQUIRE(valid_utf8(valid) == valid);
        REQUIRE((valid == text) == is_valid_utf8(text));
        changed += valid != text;
    }
    CHECK(changed > 1000);
}
