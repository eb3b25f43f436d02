#include "markdown_table.h"

#include <stdexcept>

namespace compilescope {

std::string markdown_text(const std::string& text)
{
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        if (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<')
            escaped += '\\';
        escaped += c;
    }
    return escaped;
}

namespace {

std::string escape_cell(const std::string& text)
{
    std::string escaped;
    escaped.reserve(text.size());
    for (char c : text) {
        if (c == '|')
            escaped += "\\|";
        else if (c == '\n')
            escaped += ' ';
        else if (c != '\r')
            escaped += c;
    }
    return escaped;
}

std::string render_row(const std::vector<std::string>& cells)
{
    std::string line = "|";
    for (const std::string& cell : cells)
        line += " " + escape_cell(cell) + " |";
    return line + "\n";
}

// Column width in characters as a reader sees them: UTF-8 continuation bytes do not count.
size_t display_width(const std::string& text)
{
    size_t width = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80)
            ++width;
    }
    return width;
}

} // namespace

MarkdownTable::MarkdownTable(std::vector<std::string> headers)
    : m_headers(std::move(headers))
{
}

void MarkdownTable::add_row(std::vector<std::string> cells)
{
    if (cells.size() != m_headers.size())
        throw std::logic_error("MarkdownTable: a row has " + std::to_string(cells.size()) + " cells for "
            + std::to_string(m_headers.size()) + " columns");
    m_rows.push_back(std::move(cells));
}

std::string MarkdownTable::render() const
{
    std::string text = render_row(m_headers);
    text += "|";
    for (const std::string& header : m_headers)
        text += std::string(display_width(header) + 2, '-') + "|";
    text += "\n";
    for (const auto& row : m_rows)
        text += render_row(row);
    return text;
}

} // namespace compilescope
