// Standing proof for hostile command lines (issue 13): a seeded generator drives thousands of random argument
// vectors through the real parser and validation in-process (check_command_line: everything `run` checks before it
// starts, then it stops, so no sweep runs). Every vector must end in exit 0 (would run) or exit 2 with an error line
// that names a flag or field, with no exception escaping and no file created.
#include "cli_process.h"
#include "command_line.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using compilescope::cli::check_command_line;
using compilescope::test::TempDir;

namespace {

const std::vector<std::string> commands { "run", "run", "run", "run", "run", "run", "export-aoti", "report", "list",
    "env", "resume", "bogus", "" };

// Every flag of every subcommand, and a few that do not exist.
const std::vector<std::string> flags { "--workload", "--preset", "--quick", "--d-model", "--seq-len", "--batch",
    "--causal", "--vocab-size", "--context-length", "--num-layers", "--num-heads", "--d-ff", "--model-d-model",
    "--model-seq-len", "--model-batch", "--rope-theta", "--variants", "--phases", "--device", "--dtype", "--threads",
    "--allocator", "--sdpa-backend", "--speedup-baseline", "--python", "--py-adamw", "--aoti-cache", "--aoti-jobs",
    "--seed", "--memory-limit-mb", "--warmup", "--iters", "--min-time", "--max-time", "--max-iters", "--target-error",
    "--flush-l2", "--profile", "--profile-iters", "--trace-dir", "--markdown", "--json", "--csv", "--quiet", "-q",
    "--frobnicate", "-x", "--", "--version" };

// Values good and bad for every kind of flag.
const std::vector<std::string> values { "16", "32", "16,32", "64,128", "2", "1", "0", "-1", "-16", "3.5", "0.25",
    "1e-320", "1e999", "nan", "inf", "-inf", "", " ", ",", "16,,32", "16,32,", ",16", "16, 32", "9223372036854775807",
    "9223372036854775808", "18446744073709551615", "18446744073709551616", "4611686018427387904", "9000000000000000",
    "99999999999999999999999", "2147483648", "100000", "2048", "attention", "transformer_lm", "all", "attention,,all",
    "seed", "cs336-small", "huge", "eager", "eager,torchscript", "eager,fused-sdpa", "all", "torchscript", "bogus",
    "forward", "backward,train_step", "sideways", "cpu", "cuda", "tpu", "fp32", "fp16", "bf16", "tf32", "fp64", "keep",
    "system", "auto", "math", "flash", "cudnn", "py-eager", "foreach", "fused", "true", "false", "maybe", "yes", "-",
    "--json", "--", "-q", "ü", "日本語", "\xff\xfe", "a\tb", "16\n32", "0x10", "+5", " 7 ", "1e3", "1.0", "%s%n",
    "../x", "/dev/null" };

struct Generated {
    std::vector<std::string> arguments;
};

class ArgumentGenerator {
public:
    explicit ArgumentGenerator(uint64_t seed, std::string directory)
        : m_random(seed)
        , m_directory(std::move(directory))
    {
    }

    std::vector<std::string> next()
    {
        std::vector<std::string> arguments { "compilescope-cli" };
        const std::string command = pick(commands);
        if (!command.empty())
            arguments.push_back(command);
        if (command == "run" && chance(0.5)) {
            // A small valid sweep as the base, so that many vectors reach validate_config() and the cross-flag
            // checks, not only the parser.
            for (const char* argument : { "--workload", "attention", "--d-model", "16", "--seq-len", "32", "--iters",
                     "1", "--variants", "eager" })
                arguments.emplace_back(argument);
        }
        if ((command == "report" || command == "resume") && chance(0.7))
            arguments.push_back(m_directory + "/absent.json");
        const int count = int(uniform(0, 8));
        for (int i = 0; i < count; ++i)
            add_token(arguments);
        return arguments;
    }

private:
    void add_token(std::vector<std::string>& arguments)
    {
        const double kind = uniform(0, 1000) / 1000.0;
        const std::string flag = pick(flags);
        if (kind < 0.55) {
            arguments.push_back(flag);
            if (chance(0.85))
                arguments.push_back(value_for(flag));
        } else if (kind < 0.8) {
            arguments.push_back(flag + "=" + value_for(flag));
        } else if (kind < 0.9) {
            arguments.push_back(pick(values));
        } else if (kind < 0.95) {
            arguments.emplace_back("--");
        } else {
            arguments.push_back("-" + std::string(1, char('a' + uniform(0, 25))) + (chance(0.5) ? "=1" : ""));
        }
    }

    std::string value_for(const std::string& flag)
    {
        // Output flags write files: point them into the test's directory, or at a name that must never appear.
        if ((flag == "--json" || flag == "--markdown" || flag == "--csv" || flag == "--trace-dir"
                || flag == "--aoti-cache")
            && chance(0.6))
            return chance(0.8) ? m_directory + "/out" + std::to_string(uniform(0, 3)) : "-";
        return pick(values);
    }

    template <typename T> const T& pick(const std::vector<T>& items)
    {
        return items[size_t(uniform(0, int64_t(items.size()) - 1))];
    }

    int64_t uniform(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(m_random); }
    bool chance(double probability) { return std::bernoulli_distribution(probability)(m_random); }

    std::mt19937_64 m_random;
    std::string m_directory;
};

/// Whether an error line points at what is wrong: a flag ("--batch", "-q"), a configuration field as the errors
/// name them ("batch", "memory_limit"), or the unexpected argument or missing subcommand CLI11 reports.
bool names_what_is_wrong(const std::string& line)
{
    static const std::vector<std::string> fields { "workload", "preset", "d_model", "seq_len", "batch", "vocab_size",
        "context_length", "num_layers", "num_heads", "d_ff", "rope_theta", "variants", "phases", "device", "dtype",
        "warmup", "iters", "min_time", "max_time", "max_iters", "target_rel_error", "threads", "allocator",
        "sdpa_backend", "speedup_baseline", "python", "python_adamw", "aoti_cache", "aoti_jobs", "flush_l2",
        "profile_iters", "trace_dir", "seed", "memory_limit", "min_iters" };
    if (line.find(" --") != std::string::npos || line.find("'-") != std::string::npos
        || line.find(": -") != std::string::npos)
        return true;
    if (line.find("subcommand") != std::string::npos || line.find("argument was not expected") != std::string::npos
        || line.find("arguments were not expected") != std::string::npos
        || line.find("is required") != std::string::npos)
        return true;
    const std::string prefix = "compilescope-cli: error: ";
    for (const auto& field : fields) {
        if (line.compare(prefix.size(), field.size() + 1, field + ":") == 0
            || line.compare(prefix.size(), field.size() + 2, field + " (") == 0)
            return true;
    }
    return false;
}

std::string first_line_starting(const std::string& text, const std::string& start)
{
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(start, 0) == 0)
            return line;
    }
    return {};
}

/// An environment variable as a number, for longer runs by hand (COMPILESCOPE_FUZZ_SEED, COMPILESCOPE_FUZZ_VECTORS).
uint64_t from_environment(const char* name, uint64_t fallback)
{
    const char* text = std::getenv(name);
    return text ? std::strtoull(text, nullptr, 10) : fallback;
}

std::string shown(const std::vector<std::string>& arguments)
{
    std::string text;
    for (const auto& argument : arguments)
        text += (text.empty() ? "" : " ") + ("'" + argument + "'");
    return text;
}

} // namespace

TEST_CASE(
    "5000 random command lines: exit 0 or a usage error naming a flag, never a crash or a file", "[fuzz][arguments]")
{
    TempDir dir;
    const auto working_directory_before
        = std::distance(std::filesystem::directory_iterator("."), std::filesystem::directory_iterator {});
    ArgumentGenerator generator(from_environment("COMPILESCOPE_FUZZ_SEED", 13), dir.file("outputs"));
    const int vectors = int(from_environment("COMPILESCOPE_FUZZ_VECTORS", 5000));
    // COMPILESCOPE_FUZZ_LOG=FILE keeps each vector with its exit code and first error line, to read the messages.
    std::ofstream log;
    if (const char* path = std::getenv("COMPILESCOPE_FUZZ_LOG"))
        log.open(path);
    int accepted = 0;
    int refused = 0;
    int help = 0;
    int warned = 0;
    std::map<std::string, int> refused_by_command;
    for (int i = 0; i < vectors; ++i) {
        const auto arguments = generator.next();
        std::vector<const char*> argv;
        for (const auto& argument : arguments)
            argv.push_back(argument.c_str());
        std::ostringstream out;
        std::ostringstream err;
        int code = -1;
        try {
            code = check_command_line(int(argv.size()), argv.data(), out, err);
        } catch (const std::exception& error) {
            FAIL("exception escaped: " << error.what() << "\nargv: " << shown(arguments));
        } catch (...) {
            FAIL("unknown exception escaped\nargv: " << shown(arguments));
        }
        INFO("argv: " << shown(arguments) << "\nstderr: " << err.str());
        REQUIRE((code == 0 || code == 2));
        if (err.str().find("compilescope-cli: warning: ") != std::string::npos)
            ++warned;
        if (log.is_open())
            log << code << "\t" << shown(arguments) << "\t"
                << first_line_starting(err.str(), "compilescope-cli: error: ") << "\n";
        if (code == 2) {
            ++refused;
            ++refused_by_command[arguments.size() > 1 ? arguments[1] : ""];
            const auto line = first_line_starting(err.str(), "compilescope-cli: error: ");
            REQUIRE_FALSE(line.empty());
            CHECK(names_what_is_wrong(line));
            CHECK(err.str().find("--help") != std::string::npos);
        } else if (!out.str().empty()) {
            ++help; // --help or --version, printed to stdout
        } else {
            ++accepted;
        }
    }
    CHECK(dir.empty());
    const auto working_directory_after
        = std::distance(std::filesystem::directory_iterator("."), std::filesystem::directory_iterator {});
    CHECK(working_directory_after == working_directory_before);
    std::ostringstream counts;
    counts << vectors << " random argument vectors: " << accepted << " accepted (would run), " << refused
           << " refused with exit 2 (" << refused_by_command["run"] << " of them run), " << help << " help or version, "
           << warned << " with a warning";
    WARN(counts.str());
    CHECK(accepted > vectors / 50);
    CHECK(refused > vectors / 5);
}
