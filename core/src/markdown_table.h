// A Markdown (GitHub) pipe table built row by row, so no report section formats table syntax by hand.
#pragma once

#include <string>
#include <vector>

namespace compilescope {

/// Free text (a note, a message) as Markdown shows it literally: `at::_fused_adamw_` would otherwise render in
/// italics without its underscores. Escapes \ ` * _ [ ] < with a backslash.
std::string markdown_text(const std::string& text);

class MarkdownTable {
public:
    explicit MarkdownTable(std::vector<std::string> headers);

    /// Appends a row; it must have one cell per header. Pipes and line breaks in cells are escaped.
    void add_row(std::vector<std::string> cells);
    bool empty() const { return m_rows.empty(); }

    /// Header, separator (one dash per header character plus the two padding spaces) and rows, each line ending
    /// in a newline.
    std::string render() const;

private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<std::string>> m_rows;
};

} // namespace compilescope
