// The estimate before Run in words, as the CLI prints it and the GUI shows it.
#include "compilescope/run_estimate.h"

#include "compilescope/text_format.h"

#include <vector>

namespace compilescope {

std::string estimate_duration_text(const RunEstimate& estimate)
{
    std::string text = "about " + approximate_duration_text(estimate.seconds);
    const std::string low = approximate_duration_text(estimate.low_s);
    const std::string high = approximate_duration_text(estimate.high_s);
    if (low != high)
        text += " (" + low + " to " + high + ")";
    return text;
}

std::string estimate_parts_text(const RunEstimate& estimate)
{
    std::vector<std::string> parts;
    auto count = [](int n, const std::string& one, const std::string& many) {
        return std::to_string(n) + " " + (n == 1 ? one : many);
    };
    if (estimate.measuring_s > 0)
        parts.push_back("measuring " + approximate_duration_text(estimate.measuring_s));
    if (estimate.exports > 0)
        parts.push_back(count(estimate.exports, "AOTInductor export", "AOTInductor exports") + " "
            + approximate_duration_text(estimate.export_s));
    if (estimate.compile_s > 0) {
        const std::string compiles = count(estimate.compiles, "compile", "compiles");
        const std::string what = !estimate.starts_python ? compiles
            : estimate.compiles > 0                      ? "Python start-up and " + compiles
                                                         : std::string("Python start-up");
        parts.push_back(what + " " + approximate_duration_text(estimate.compile_s));
    }
    if (estimate.exports_cached > 0)
        parts.push_back(count(estimate.exports_cached, "AOTInductor package", "AOTInductor packages") + " cached");
    if (estimate.one_off_slowdown > 1 || estimate.iteration_slowdown > 1)
        parts.push_back("the machine is busy (" + std::to_string(estimate.busy_threads) + " thread"
            + (estimate.busy_threads == 1 ? "" : "s") + " would get " + fixed(estimate.busy_cores, 1)
            + " CPUs now): one-off work " + fixed(estimate.one_off_slowdown, 1) + "x, iterations "
            + fixed(estimate.iteration_slowdown, 1) + "x as long");
    if (!estimate.roofs_known && estimate.measuring_s > 0)
        parts.emplace_back("no device roofs: iterations at their dispatch floor");
    return join(parts, ", ");
}

} // namespace compilescope
