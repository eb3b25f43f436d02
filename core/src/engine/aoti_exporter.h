// Makes the AOTInductor packages a sweep needs before it measures: tools/reference/aoti_export.py in child
// processes, several at once, cancellable. Exports are never timed next to a measurement (they would load the
// cores the measurement runs on).
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/engine/sweep.h"
#include "compilescope/results.h"
#include "engine/aoti_package.h"

#include <functional>
#include <string>
#include <vector>

namespace compilescope::engine {

struct AotiExportOutcome {
    /// ok (made now, or cached), unavailable (the exporter cannot handle the phase, or its torch is not the
    /// linked LibTorch), failed (an error, or the exporter died), cancelled.
    MeasurementStatus status = MeasurementStatus::ok;
    bool cached = false;
    std::string message;
    double seconds = 0; ///< wall time of this package's export, 0 when cached
    std::string exporter_torch; ///< torch.__version__ of the exporter that made it ("" when cached)
};

struct AotiExportOptions {
    std::string python; ///< resolved
    int jobs = 1; ///< exporter processes at once
    std::string inductor_cache; ///< TORCHINDUCTOR_CACHE_DIR of the exporters ("" keeps theirs)
    int threads = 0; ///< intra-op threads of each exporter (its check run); 0 keeps torch's default
    double timeout_s = 1800; ///< one package's export and check, after which its exporter is stopped
};

/// Called as packages finish: how many of `total` are done, and the label of the one that just finished.
using AotiExportProgress = std::function<void(int done, int total, const std::string& label)>;

/// Exports every request that aoti_package_cached() says is missing (duplicates once). One outcome per request,
/// in order. A dead exporter fails the package it was making, and a new one takes the rest. On cancel the
/// exporters are stopped (SIGTERM, then SIGKILL) and the unfinished packages are cancelled; nothing half-written
/// stays in the cache (each package is renamed into place when complete).
std::vector<AotiExportOutcome> export_aoti_packages(const std::vector<AotiPackageRequest>& requests,
    const AotiExportOptions& options, const AotiExportProgress& progress,
    const std::function<void(const std::string&)>& log, const CancelToken& cancel);

/// Half the cores, at least one: each export runs a C++ compiler and Inductor's own workers.
int default_aoti_jobs();

} // namespace compilescope::engine
