// Seeded mutations of a run file, the kinds a hostile or damaged file has: byte flips, truncation, deep nesting,
// huge and negative numbers, type swaps, deleted fields, duplicated keys, invalid UTF-8, very long strings.
// Header-only: the core's loader fuzz (tests/core) and the CLI's `report` fuzz (tests/cli) share it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace compilescope::testing {

class RunFileMutator {
public:
    enum Kind {
        byte_flips,
        truncation,
        deep_nesting,
        huge_number,
        negative_number,
        type_swap,
        deleted_field,
        duplicated_key,
        invalid_utf8,
        long_string,
        kind_count
    };

    RunFileMutator(std::string base, uint64_t seed)
        : m_base(std::move(base))
        , m_random(seed)
    {
        const nlohmann::ordered_json document = nlohmann::ordered_json::parse(m_base);
        m_document = document;
        collect(document, nlohmann::json::json_pointer());
    }

    static const char* name(Kind kind)
    {
        static const char* const names[] = { "byte flips", "truncation", "deep nesting", "huge number",
            "negative number", "type swap", "deleted field", "duplicated key", "invalid UTF-8", "long string" };
        return names[kind];
    }

    /// A mutated copy of the base file; `kind` says which mutation.
    std::string next(Kind& kind)
    {
        kind = static_cast<Kind>(pick(kind_count));
        switch (kind) {
        case byte_flips: {
            std::string text = m_base;
            const size_t flips = 1 + pick(8);
            for (size_t i = 0; i < flips; ++i)
                text[pick(text.size())] = static_cast<char>(pick(256));
            return text;
        }
        case truncation:
            return m_base.substr(0, pick(m_base.size()));
        case deep_nesting: {
            // Up to 100,000 brackets around a value somewhere, or as a whole document of them.
            const size_t depth = pick(3) == 0 ? 1 + pick(100) : 1 + pick(100000);
            const bool objects = pick(2) == 0;
            std::string nested;
            for (size_t i = 0; i < depth; ++i)
                nested += objects ? "{\"a\":" : "[";
            nested += "1";
            for (size_t i = 0; i < depth; ++i)
                nested += objects ? "}" : "]";
            if (pick(4) == 0)
                return nested;
            return replaced(nested);
        }
        case huge_number: {
            static const char* const numbers[] = { "1e999", "-1e999", "1e308", "18446744073709551616",
                "99999999999999999999999999999", "9223372036854775808", "-9223372036854775809", "4294967296",
                "2147483648", "1.7976931348623157e308", "4.9e-324", "1e-400" };
            return replaced(numbers[pick(std::size(numbers))], true);
        }
        case negative_number:
            return replaced(pick(2) ? "-5" : "-1.5", true);
        case type_swap: {
            static const char* const values[]
                = { "null", "true", "\"text\"", "[]", "{}", "0", "1.5", "[1,2]", "{\"a\":1}", "\"\"" };
            return replaced(values[pick(std::size(values))]);
        }
        case deleted_field: {
            nlohmann::ordered_json document = m_document;
            const auto& pointer = m_objects_members[pick(m_objects_members.size())];
            document[pointer.parent_pointer()].erase(pointer.back());
            return document.dump(1);
        }
        case duplicated_key: {
            // Insert "key": value right after an object's opening brace, so the key appears twice in the text.
            const auto& pointer = m_objects_members[pick(m_objects_members.size())];
            const std::string key = nlohmann::ordered_json(pointer.back()).dump();
            static const char* const values[] = { "-1", "null", "\"x\"", "1e999", "[]", "0" };
            std::string text = m_base;
            const size_t brace = nth_of(text, '{');
            text.insert(brace + 1, key + ":" + values[pick(std::size(values))] + ",");
            return text;
        }
        case invalid_utf8: {
            std::string text = m_base;
            static const char* const bytes[] = { "\xff", "\xc3", "\xed\xa0\x80", "\xf8\x88\x80\x80\x80", "\x80" };
            const size_t quote = nth_of(text, '"');
            text.insert(quote + 1, bytes[pick(std::size(bytes))]);
            return text;
        }
        case long_string: // mostly up to 64 KiB, one in 16 up to 1 MiB
            return replaced("\"" + std::string(1 + pick(pick(16) == 0 ? 1 << 20 : 1 << 16), 'x') + "\"");
        case kind_count:
            break;
        }
        return m_base;
    }

private:
    size_t pick(size_t count) { return count == 0 ? 0 : std::uniform_int_distribution<size_t>(0, count - 1)(m_random); }

    void collect(const nlohmann::ordered_json& value, const nlohmann::json::json_pointer& pointer)
    {
        if (!pointer.empty())
            m_values.push_back(pointer);
        if (value.is_number())
            m_numbers.push_back(pointer);
        if (value.is_object()) {
            for (const auto& [key, item] : value.items()) {
                m_objects_members.push_back(pointer / key);
                collect(item, pointer / key);
            }
        } else if (value.is_array()) {
            for (size_t i = 0; i < value.size(); ++i)
                collect(value[i], pointer / i);
        }
    }

    /// The base document with one value (a number when `number`) replaced by raw JSON text `raw`.
    std::string replaced(const std::string& raw, bool number = false)
    {
        const auto& targets = number && !m_numbers.empty() ? m_numbers : m_values;
        nlohmann::ordered_json document = m_document;
        document[targets[pick(targets.size())]] = marker;
        std::string text = document.dump(1);
        const std::string quoted = "\"" + std::string(marker) + "\"";
        text.replace(text.find(quoted), quoted.size(), raw);
        return text;
    }

    /// The position of a random occurrence of `c` in `text`.
    size_t nth_of(const std::string& text, char c)
    {
        std::vector<size_t> positions;
        for (size_t i = 0; i < text.size(); ++i) {
            if (text[i] == c)
                positions.push_back(i);
        }
        return positions[pick(positions.size())];
    }

    static constexpr const char* marker = "@@compilescope-mutation@@";

    std::string m_base;
    nlohmann::ordered_json m_document;
    std::mt19937_64 m_random;
    std::vector<nlohmann::json::json_pointer> m_values;
    std::vector<nlohmann::json::json_pointer> m_numbers;
    std::vector<nlohmann::json::json_pointer> m_objects_members;
};

} // namespace compilescope::testing
