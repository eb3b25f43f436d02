// A variant: one way of executing the workloads (eager, TorchScript, ...). Internal to the engine; the public view
// is compilescope/variants.h.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/variant_names.h"
#include "engine/phase_program.h"

#include <stdexcept>
#include <string>

namespace compilescope::engine {

struct Availability {
    bool available = false;
    std::string reason; ///< why not, or a caveat when available
};

/// Thrown by Variant::build when the variant cannot run this cell (e.g. the SDPA backend asked for does not take
/// its dtype); the sweep records the measurement as unavailable with the message, not as failed.
class VariantUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Variant {
public:
    virtual ~Variant() = default;
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    virtual Availability availability(Device device) const = 0;
    /// Availability for one sweep: by default the device's; the Python variants also look at config.python.
    virtual Availability availability(Device device, const SweepConfig& config) const
    {
        (void)config;
        return availability(device);
    }
    /// True when build() compiles or captures something, so that its duration is reported as compile_ms.
    virtual bool compiles() const = 0;
    /// True for the variants the Python reference script measures in a child process (engine/python_runner.h);
    /// the sweep never calls their build().
    bool python() const { return variant_traits(name()).python; }
    /// The program for inputs.phase on inputs shared by every variant of the cell. May throw.
    virtual PhaseProgram build(const PhaseInputs& inputs) const = 0;
};

} // namespace compilescope::engine
