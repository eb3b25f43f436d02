// In-process: the typed CLI11 options (typed_options.h) read values into typed targets, base 10, with CLI11's own
// checks (Range, IsMember, Transformer) behind messages that name the field and the flag.
#include "cli_in_process.h"
#include "typed_options.h"

#include "compilescope/types.h"

#include <catch2/catch.hpp>

using namespace compilescope;
using namespace compilescope::cli;

namespace {

/// Parses `arguments` (after the program name) into an App that `add` filled; the CLI11 error text, or "" if none.
template <typename Add> std::string parse(Add add, FlagErrors& errors, const std::vector<std::string>& arguments)
{
    CLI::App app;
    add(app, errors);
    std::vector<const char*> argv { "test" };
    for (const auto& argument : arguments)
        argv.push_back(argument.c_str());
    try {
        app.parse(int(argv.size()), argv.data());
    } catch (const CLI::ParseError& error) {
        return error.what();
    }
    return {};
}

} // namespace

TEST_CASE("integers are read in base 10 with blanks around them, and the last one given wins", "[options][typed]")
{
    std::optional<int64_t> value;
    FlagErrors errors;
    const auto add
        = [&](CLI::App& app, FlagErrors& refused) { add_integer(app, refused, "--batch", into(value), "batch"); };
    CHECK(parse(add, errors, { "--batch", " 010 " }).empty());
    CHECK(value == 10); // CLI11 alone reads "010" as octal 8
    CHECK(parse(add, errors, { "--batch", "+7", "--batch=-3" }).empty());
    CHECK(value == -3);
    CHECK_FALSE(parse(add, errors, { "--batch", "0x10" }).empty());
    REQUIRE(errors.errors().size() == 1);
    CHECK(errors.errors().back().field == "batch");
    CHECK(errors.errors().back().flag == "--batch");
    CHECK(errors.errors().back().message == "'0x10' is not an integer");
    // CLI11 2.1 alone would read 2^63 as 2^63 - 1.
    CHECK_FALSE(parse(add, errors, { "--batch", "9223372036854775808" }).empty());
    CHECK(errors.errors().back().message.find("out of range (at most 9223372036854775807") != std::string::npos);
}

TEST_CASE("an unsigned integer refuses a negative value instead of wrapping around", "[options][typed]")
{
    std::optional<uint64_t> seed;
    IntegerRange<uint64_t> range;
    range.refusal = [](const std::string& text) { return "from 0, got " + text; };
    FlagErrors errors;
    const auto add
        = [&](CLI::App& app, FlagErrors& refused) { add_integer(app, refused, "--seed", into(seed), "seed", range); };
    CHECK_FALSE(parse(add, errors, { "--seed", "-1" }).empty()); // CLI11 2.1 alone reads 18446744073709551615
    CHECK(errors.errors().back().message == "from 0, got -1");
    CHECK(parse(add, errors, { "--seed", "18446744073709551615" }).empty());
    CHECK(seed == 18446744073709551615ULL);
}

TEST_CASE("names come from the core's tables and arrive as the enum", "[options][typed]")
{
    std::optional<Dtype> dtype;
    FlagErrors errors;
    const auto add = [&](CLI::App& app, FlagErrors& refused) {
        add_name(app, refused, "--dtype", into(dtype), name_table(dtype_names(), parse_dtype), "dtype");
    };
    CHECK(parse(add, errors, { "--dtype", " bf16" }).empty());
    CHECK(dtype == Dtype::bf16);
    // The Transformer's output (the enum's number) is no name.
    CHECK_FALSE(parse(add, errors, { "--dtype", "1" }).empty());
    CHECK(errors.errors().back().message == "unknown value '1' (allowed: " + join(dtype_names(), ", ") + ")");
}

TEST_CASE("comma lists: blanks trimmed, each value once, empty items refused by position", "[options][typed]")
{
    std::optional<std::vector<int64_t>> sizes;
    std::optional<std::vector<Phase>> phases;
    FlagErrors errors;
    const auto add = [&](CLI::App& app, FlagErrors& refused) {
        add_integer_list(app, refused, "--d-model", into(sizes), "sizes");
        add_enum_list(app, refused, "--phases", into(phases), name_table(phase_names(), parse_phase), false, "phases");
    };
    CHECK(parse(add, errors, { "--d-model", " 16, 32 ,64", "--phases", "backward, forward,backward" }).empty());
    CHECK(sizes == std::vector<int64_t> { 16, 32, 64 });
    CHECK(phases == std::vector<Phase> { Phase::backward, Phase::forward });
    CHECK_FALSE(parse(add, errors, { "--d-model", "16,32," }).empty());
    CHECK(errors.errors().back().message == "item 3 of '16,32,' is empty (expected a list like 16,32,64)");
    CHECK_FALSE(parse(add, errors, { "--d-model", "16,abc" }).empty());
    CHECK(errors.errors().back().message == "'abc' is not an integer (item 2 of '16,abc')");
    CHECK(list_items(" a, b ,") == std::vector<std::string> { "a", "b", "" });
}

TEST_CASE("a forgotten value is about the command line, not the field", "[options][typed]")
{
    std::optional<int64_t> value;
    FlagErrors errors;
    const auto add = [&](CLI::App& app, FlagErrors& refused) {
        add_integer(app, refused, "--batch", into(value), "batch");
        app.add_flag("--seed");
    };
    const auto message = parse(add, errors, { "--batch", "--seed" });
    CHECK(message.find("--batch: needs a value, but the next argument is the flag '--seed'") != std::string::npos);
    CHECK(errors.errors().empty());
}

TEST_CASE("the env command takes its allocator through the same table", "[options][typed]")
{
    const auto result = test::cli_in_process({ "env", "--allocator", "jemalloc" }, test::CliStage::validate);
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("allocator (--allocator): unknown value 'jemalloc' (allowed: keep, system)")
        != std::string::npos);
    CHECK(result.err.find("Run 'compilescope-cli env --help'") != std::string::npos);
}
