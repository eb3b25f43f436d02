#include "compilescope/failpoints.h"

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>

namespace compilescope::failpoints {

namespace {

struct Point {
    std::string action;
    long fire_at = 0; ///< 0: every hit
    long hits = 0;
};

struct Registry {
    std::mutex mutex;
    std::map<std::string, Point> points;
    std::atomic<bool> any { false };
    std::once_flag environment_read;
};

Registry& registry()
{
    static Registry instance;
    return instance;
}

std::map<std::string, Point> parse(const std::string& spec)
{
    std::map<std::string, Point> points;
    size_t start = 0;
    while (start < spec.size()) {
        size_t end = spec.find(',', start);
        if (end == std::string::npos)
            end = spec.size();
        const std::string item = spec.substr(start, end - start);
        start = end + 1;
        const size_t equals = item.find('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == item.size())
            throw std::invalid_argument("failpoint '" + item + "': expected point=action or point=action@N");
        Point point;
        point.action = item.substr(equals + 1);
        if (const size_t at = point.action.find('@'); at != std::string::npos) {
            char* rest = nullptr;
            point.fire_at = std::strtol(point.action.c_str() + at + 1, &rest, 10);
            if (point.fire_at < 1 || *rest != '\0')
                throw std::invalid_argument("failpoint '" + item + "': N in action@N must be a whole number >= 1");
            point.action.resize(at);
        }
        points[item.substr(0, equals)] = point;
    }
    return points;
}

void set(Registry& state, std::map<std::string, Point> points)
{
    const std::lock_guard<std::mutex> lock(state.mutex);
    state.points = std::move(points);
    state.any.store(!state.points.empty(), std::memory_order_relaxed);
}

} // namespace

void configure(const std::string& spec)
{
    Registry& state = registry();
    std::call_once(state.environment_read, [] {}); // an explicit configuration wins over the environment
    set(state, parse(spec));
}

std::optional<std::string> hit(const char* point)
{
    Registry& state = registry();
    std::call_once(state.environment_read, [&state] {
        if (const char* spec = std::getenv(environment_variable))
            set(state, parse(spec));
    });
    if (!state.any.load(std::memory_order_relaxed))
        return std::nullopt;
    const std::lock_guard<std::mutex> lock(state.mutex);
    const auto found = state.points.find(point);
    if (found == state.points.end())
        return std::nullopt;
    Point& entry = found->second;
    ++entry.hits;
    if (entry.fire_at != 0 && entry.hits != entry.fire_at)
        return std::nullopt;
    return entry.action;
}

} // namespace compilescope::failpoints
