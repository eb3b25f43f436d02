// Text from the system (host names, CPU models, paths, versions read from other programs) is bytes, not UTF-8:
// before it reaches a run it is made valid, so that no JSON writer or Qt string has to guess (LibTorch- and Qt-free).
#pragma once

#include <string>
#include <string_view>

namespace compilescope {

/// The text with every ill-formed UTF-8 sequence replaced by U+FFFD, one per maximal ill-formed subpart (as
/// Unicode's "substitution of maximal subparts" and the WHATWG decoder do): stray continuation bytes, 0xC0, 0xC1 and
/// 0xF5..0xFF, truncated sequences, overlong forms, surrogates (U+D800..U+DFFF) and code points above U+10FFFF.
/// Valid text, multi-byte characters and NUL included, comes back unchanged.
std::string valid_utf8(std::string_view text);

/// Whether the text is valid UTF-8 (valid_utf8 would return it unchanged).
bool is_valid_utf8(std::string_view text);

} // namespace compilescope
