#include "compilescope/text_utf8.h"

#include <cstddef>

namespace compilescope {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

/// The length of the well-formed sequence starting at `at` (1 to 4), or 0 when it is ill-formed; then `skip` is the
/// length of its maximal ill-formed subpart (at least 1), which one U+FFFD replaces. Table 3-7 of the Unicode
/// standard: the second byte's range depends on the first, which rules out overlongs, surrogates and > U+10FFFF.
size_t sequence_length(std::string_view text, size_t at, size_t& skip)
{
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    skip = 1;
    if (lead < 0x80) {
        return 1;
    }
    size_t length = 0;
    unsigned char second_low = 0x80;
    unsigned char second_high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        second_low = lead == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
        second_high = lead == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        second_low = lead == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
        second_high = lead == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
    } else {
        return 0; // a continuation byte, C0, C1 (always overlong) or F5..FF
    }
    for (size_t i = 1; i < length; ++i) {
        const unsigned char low = i == 1 ? second_low : 0x80;
        const unsigned char high = i == 1 ? second_high : 0xBF;
        if (at + i >= text.size() || byte(at + i) < low || byte(at + i) > high) {
            skip = i;
            return 0;
        }
    }
    return length;
}

} // namespace

std::string valid_utf8(std::string_view text)
{
    std::string result;
    result.reserve(text.size());
    size_t at = 0;
    while (at < text.size()) {
        size_t skip = 0;
        const size_t length = sequence_length(text, at, skip);
        if (length > 0) {
            result.append(text.substr(at, length));
            at += length;
        } else {
            result.append(replacement_character);
            at += skip;
        }
    }
    return result;
}

bool is_valid_utf8(std::string_view text)
{
    size_t at = 0;
    while (at < text.size()) {
        size_t skip = 0;
        const size_t length = sequence_length(text, at, skip);
        if (length == 0) {
            return false;
        }
        at += length;
    }
    return true;
}

} // namespace compilescope
