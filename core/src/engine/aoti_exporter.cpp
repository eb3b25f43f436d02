#include "engine/aoti_exporter.h"

#include "compilescope/child_process.h"
#include "compilescope/python.h"
#include "compilescope/text_format.h"

#include <torch/version.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <glob.h>
#include <map>
#include <memory>
#include <thread>

namespace compilescope::engine {

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int poll_ms = 50;
/// One exporter process and the packages it was given, in order; `next` is the one it is making now.
struct Worker {
    std::unique_ptr<ChildProcess> child;
    std::vector<size_t> queue;
    size_t next = 0;
    bool ready = false;
    std::string stderr_path;
    Clock::time_point package_started;

    bool busy() const { return child && next < queue.size(); }
};

/// Removes what an exporter killed mid-package left: its <directory>.tmp-<pid> working copy.
void remove_working_copies(const std::string& directory)
{
    glob_t found {};
    if (::glob((directory + ".tmp-*").c_str(), 0, nullptr, &found) == 0) {
        for (size_t i = 0; i < found.gl_pathc; ++i) {
            remove_tree(found.gl_pathv[i]);
        }
    }
    ::globfree(&found);
}

class ExportRun {
public:
    ExportRun(const std::vector<AotiPackageRequest>& requests, const AotiExportOptions& options,
        const AotiExportProgress& progress, const std::function<void(const std::string&)>& log,
        const CancelToken& cancel)
        : m_requests(requests)
        , m_options(options)
        , m_progress(progress)
        , m_log(log)
        , m_cancel(cancel)
        , m_outcomes(requests.size())
    {
    }

    std::vector<AotiExportOutcome> run()
    {
        std::map<std::string, size_t> first;
        std::vector<size_t> todo;
        for (size_t i = 0; i < m_requests.size(); ++i) {
            const auto [where, inserted] = first.emplace(m_requests[i].directory, i);
            if (!inserted) {
                m_duplicates.emplace_back(i, where->second);
            } else if (aoti_package_cached(m_requests[i])) {
                m_outcomes[i].cached = true;
            } else {
                todo.push_back(i);
            }
        }
        m_total = int(todo.size());
        if (!todo.empty()) {
            export_all(todo);
        }
        for (const auto& [copy, original] : m_duplicates) {
            m_outcomes[copy] = m_outcomes[original];
        }
        return std::move(m_outcomes);
    }

private:
    void export_all(const std::vector<size_t>& todo)
    {
        const std::string script = aoti_exporter_path();
        if (script.empty()) {
            for (size_t index : todo) {
                set(index, MeasurementStatus::unavailable, "the exporter aoti_export.py is not installed");
            }
            return;
        }
        m_script = script;
        m_directory = make_private_temp_directory("compilescope-aoti");
        const int jobs = std::max(1, std::min<int>(m_options.jobs, int(todo.size())));
        m_log("exporting " + std::to_string(todo.size()) + " AOTInductor package" + (todo.size() == 1 ? "" : "s")
            + " with " + std::to_string(jobs) + " exporter process" + (jobs == 1 ? "" : "es") + " (" + m_options.python
            + " " + script + ")");
        std::vector<Worker> workers(static_cast<size_t>(jobs));
        for (size_t i = 0; i < todo.size(); ++i) {
            workers[i % workers.size()].queue.push_back(todo[i]);
        }
        for (size_t w = 0; w < workers.size(); ++w) {
            start(workers[w], w);
        }
        while (std::any_of(workers.begin(), workers.end(), [](const Worker& worker) { return worker.busy(); })) {
            if (m_cancel.cancelled()) {
                for (Worker& worker : workers) { // every exporter at once, so the grace periods overlap
                    if (worker.child) {
                        worker.child->terminate();
                    }
                }
                for (Worker& worker : workers) {
                    stop(worker, MeasurementStatus::cancelled, "cancelled during its export");
                }
                break;
            }
            for (size_t w = 0; w < workers.size(); ++w) {
                if (workers[w].busy()) {
                    poll(workers[w], w);
                }
            }
        }
        remove_tree(m_directory);
    }

    void start(Worker& worker, size_t number)
    {
        Json spec { { "exporter_version", aoti_exporter_version }, { "packages", Json::array() } };
        for (size_t i = worker.next; i < worker.queue.size(); ++i) {
            const AotiPackageRequest& request = m_requests[worker.queue[i]];
            Json package = Json::parse(request.spec);
            package["directory"] = request.directory;
            package["threads"] = m_options.threads;
            spec["packages"].push_back(package);
        }
        const std::string tag = std::to_string(number) + "-" + std::to_string(m_starts++);
        const std::string spec_path = m_directory + "/spec-" + tag + ".json";
        std::ofstream(spec_path) << spec.dump();
        worker.stderr_path = m_directory + "/stderr-" + tag + ".log";
        worker.ready = false;
        std::vector<std::string> environment { "PYTHONUNBUFFERED=1" };
        if (!m_options.inductor_cache.empty()) {
            environment.push_back("TORCHINDUCTOR_CACHE_DIR=" + m_options.inductor_cache);
        }
        try {
            worker.child = std::make_unique<ChildProcess>(
                std::vector<std::string> { m_options.python, m_script, spec_path }, environment, worker.stderr_path);
        } catch (const std::exception& error) {
            stop(worker, MeasurementStatus::unavailable, std::string("the exporter cannot start: ") + error.what());
            return;
        }
        worker.package_started = Clock::now();
    }

    void poll(Worker& worker, size_t number)
    {
        std::string line;
        const ChildProcess::ReadStatus status = worker.child->read_line(line, poll_ms);
        if (status == ChildProcess::ReadStatus::timeout) {
            const double waited_s = std::chrono::duration<double>(Clock::now() - worker.package_started).count();
            const double allowed_s = worker.ready ? m_options.timeout_s : python_startup_timeout_s;
            if (waited_s > allowed_s) {
                worker.child->stop();
                give_up(worker, number, "gave no answer within " + fixed(allowed_s, 0) + " s and was stopped");
            }
            return;
        }
        if (status == ChildProcess::ReadStatus::closed) {
            give_up(worker, number, worker.child->exit_description());
            return;
        }
        const Json reply = Json::parse(line, nullptr, false);
        if (reply.is_discarded() || !reply.is_object()) {
            stop(worker, MeasurementStatus::failed, "the exporter printed an unexpected line: " + line.substr(0, 200));
            return;
        }
        if (reply.value("event", "") == "ready") {
            const std::string torch = reply.value("torch", "?");
            if (!is_linked_torch(torch)) {
                stop(worker, MeasurementStatus::unavailable,
                    "the exporter's torch " + torch + " (" + m_options.python + ") is not the linked LibTorch "
                        + TORCH_VERSION + "; a package runs only with the torch that made it (set --python)");
                return;
            }
            m_torch = torch;
            if (!m_logged_ready) {
                m_logged_ready = true;
                m_log("AOTInductor exporter: Python " + reply.value("python", "?") + ", torch " + torch);
            }
            worker.ready = true;
            return;
        }
        const std::string state = reply.value("status", "");
        const std::string message = reply.value("message", "");
        if (reply.value("directory", "") != m_requests[worker.queue[worker.next]].directory) {
            stop(worker, MeasurementStatus::failed, "the exporter answered out of order: " + line.substr(0, 200));
            return;
        }
        if (state == "ok") {
            finish(worker, MeasurementStatus::ok, "");
        } else if (state == "unsupported") {
            finish(worker, MeasurementStatus::unavailable, "the exporter cannot handle it: " + message);
        } else {
            finish(worker, MeasurementStatus::failed, "export failed: " + message);
        }
    }

    /// The worker's exporter ended or hung (`how`): before it was ready, every package it was given is unavailable
    /// (no torch, a broken script); after, the package it was making failed and a new exporter takes the rest.
    void give_up(Worker& worker, size_t number, const std::string& how)
    {
        const std::string tail = last_line_of_file(worker.stderr_path);
        const std::string detail = how + (tail.empty() ? "" : ": " + tail);
        if (!worker.ready) {
            stop(worker, MeasurementStatus::unavailable, "the exporter " + detail);
            return;
        }
        const size_t index = worker.queue[worker.next];
        remove_working_copies(m_requests[index].directory);
        finish(worker, MeasurementStatus::failed, "the exporter " + detail + " while exporting it");
        worker.child.reset();
        if (worker.next < worker.queue.size()) {
            start(worker, number);
        }
    }

    /// Records the outcome of the worker's current package and moves on to its next.
    void finish(Worker& worker, MeasurementStatus status, const std::string& message)
    {
        const size_t index = worker.queue[worker.next++];
        AotiExportOutcome& outcome = m_outcomes[index];
        outcome.exporter_torch = m_torch;
        outcome.seconds = std::chrono::duration<double>(Clock::now() - worker.package_started).count();
        worker.package_started = Clock::now();
        set(index, status, message);
        ++m_done;
        m_log((status == MeasurementStatus::ok ? "exported " : "could not export ") + m_requests[index].label + " in "
            + fixed(outcome.seconds, 1) + " s" + (message.empty() ? "" : ": " + message));
        if (m_progress) {
            m_progress(m_done, m_total, m_requests[index].label);
        }
    }

    /// Stops the worker; its unfinished packages get `status` and `message`.
    void stop(Worker& worker, MeasurementStatus status, const std::string& message)
    {
        if (worker.child) {
            worker.child->stop();
            worker.child.reset();
        }
        if (worker.next < worker.queue.size()) {
            remove_working_copies(m_requests[worker.queue[worker.next]].directory);
        }
        for (; worker.next < worker.queue.size(); ++worker.next) {
            set(worker.queue[worker.next], status, message);
            ++m_done;
        }
    }

    void set(size_t index, MeasurementStatus status, const std::string& message)
    {
        m_outcomes[index].status = status;
        m_outcomes[index].message = message;
    }

    const std::vector<AotiPackageRequest>& m_requests;
    const AotiExportOptions& m_options;
    const AotiExportProgress& m_progress;
    const std::function<void(const std::string&)>& m_log;
    const CancelToken& m_cancel;
    std::vector<AotiExportOutcome> m_outcomes;
    std::vector<std::pair<size_t, size_t>> m_duplicates;
    std::string m_script;
    std::string m_directory;
    int m_total = 0;
    int m_done = 0;
    int m_starts = 0;
    bool m_logged_ready = false;
    std::string m_torch; ///< what the exporters said they run
};

} // namespace

std::vector<AotiExportOutcome> export_aoti_packages(const std::vector<AotiPackageRequest>& requests,
    const AotiExportOptions& options, const AotiExportProgress& progress,
    const std::function<void(const std::string&)>& log, const CancelToken& cancel)
{
    return ExportRun(requests, options, progress, log, cancel).run();
}

int default_aoti_jobs()
{
    return std::max(1, int(std::thread::hardware_concurrency()) / 2);
}

} // namespace compilescope::engine
