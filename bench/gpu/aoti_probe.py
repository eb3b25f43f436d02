"""Probe AOTInductor packaging and loading on this machine (run with the Python that owns LibTorch).

Usage: python3 bench/gpu/aoti_probe.py OUTDIR [cpu|cuda]. Prints the toolchain, builds a trivial package, shows how its
model library links, and tries to load it in a child process (a crash there does not kill the probe)."""
import os, shutil, subprocess, sys, zipfile

out = sys.argv[1]
device = sys.argv[2] if len(sys.argv) > 2 else "cuda"
os.makedirs(out, exist_ok=True)

def sh(cmd):
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    print(f"$ {cmd}\n{r.stdout}{r.stderr}".rstrip())

import torch
import torch._inductor.config as ic
print("torch", torch.__version__, "cxx", ic.cpp.cxx, "CXX", os.environ.get("CXX"))
sh("which g++ c++ gcc clang++; g++ --version | head -1; g++ -print-file-name=libstdc++.so; g++ -print-file-name=libstdc++.a")
sh("g++ -dumpspecs | grep -n -i 'static' | head")

class M(torch.nn.Module):
    def forward(self, x):
        return torch.relu(x) * 2 + 1

x = torch.randn(8, 16, device=device)
ep = torch.export.export(M(), (x,))
pkg = os.path.join(out, f"probe-{device}.pt2")
from torch._inductor import aoti_compile_and_package
import time
t = time.time()
aoti_compile_and_package(ep, package_path=pkg)
print(f"package built in {time.time()-t:.1f} s")
unz = os.path.join(out, "unzipped")
shutil.rmtree(unz, ignore_errors=True)
zipfile.ZipFile(pkg).extractall(unz)
sh(f"find {unz} -type f | head -30")
sh(f"for f in $(find {unz} -name '*.so'); do echo $f; readelf -d $f | grep -E 'NEEDED|RUNPATH|RPATH'; nm -D --defined-only $f | grep -c -i regex; ldd $f | head -20; done")
code = f"import torch, torch._inductor; m = torch._inductor.aoti_load_package({pkg!r}); print('loaded'); print(m(torch.randn(8,16,device={device!r})).sum())"
r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
print("load rc", r.returncode, r.stdout[-2000:], r.stderr[-3000:])
