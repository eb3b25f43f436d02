#include "compilescope/python.h"

#include "compilescope/child_process.h"
#include "compilescope/run_afresh.h"

#include <climits>
#include <map>
#include <mutex>
#include <unistd.h>

namespace compilescope {

namespace {

bool is_file(const std::string& path)
{
    return !path.empty() && ::access(path.c_str(), R_OK) == 0;
}

PythonProbe run_probe(const std::string& python)
{
    PythonProbe probe;
    probe.python = python;
    try {
        ChildProcess child({ python, "-c", "import torch, sys; sys.stdout.write(torch.__version__ + '\\n')" },
            { "PYTHONWARNINGS=ignore" }, "/dev/null");
        std::string line;
        if (child.read_line(line, int(python_startup_timeout_s * 1000)) == ChildProcess::ReadStatus::line
            && !line.empty()) {
            probe.has_torch = true;
            probe.torch_version = line;
        } else {
            child.stop(0);
            probe.error = python + " cannot import torch (" + child.exit_description() + ")";
        }
    } catch (const std::exception& error) {
        probe.error = error.what();
    }
    return probe;
}

} // namespace

std::string build_python()
{
#ifdef COMPILESCOPE_PYTHON
    if (std::string(COMPILESCOPE_PYTHON).size() > 0)
        return COMPILESCOPE_PYTHON;
#endif
    return "python3";
}

std::string resolve_python(const std::string& configured)
{
    return configured.empty() ? build_python() : configured;
}

PythonProbe probe_python(const std::string& python)
{
    static std::mutex mutex;
    static std::map<std::string, PythonProbe> probes;
    {
        const std::lock_guard<std::mutex> lock(mutex);
        const auto found = probes.find(python);
        if (found != probes.end())
            return found->second;
    }
    PythonProbe probe = run_probe(python);
    const std::lock_guard<std::mutex> lock(mutex);
    return probes.emplace(python, std::move(probe)).first->second;
}

namespace {

std::string shipped_tool_path(const std::string& name)
{
    std::string installed = executable_directory() + "/../share/compilescope/" + name;
    if (is_file(installed))
        return installed;
#ifdef COMPILESCOPE_SOURCE_DIR
    std::string source = std::string(COMPILESCOPE_SOURCE_DIR) + "/tools/reference/" + name;
    if (is_file(source))
        return source;
#endif
    return "";
}

} // namespace

std::string reference_script_path()
{
    return shipped_tool_path("torch_compile_reference.py");
}

std::string aoti_exporter_path()
{
    return shipped_tool_path("aoti_export.py");
}

std::string model_file_script_path()
{
    return shipped_tool_path("model_file.py");
}

} // namespace compilescope
