"""The wheel carries the browser builds: before packaging, copy the listed node_modules dist files into
api/static/vendor/ (package data). Without node_modules (no npm) the wheel is built without them and says so."""
import importlib.util
import warnings
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# Folders of browser files are data, not Python packages: setuptools' "would be ignored" advice does not apply.
warnings.filterwarnings("ignore", message=r"Package 'api\.(static|templates)(\.|')")


class BuildWithVendor(build_py):
    def run(self):
        spec = importlib.util.spec_from_file_location("vendor_files", HERE / "api" / "web" / "vendor_files.py")
        vendor_files = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(vendor_files)
        if vendor_files.collect(HERE / "node_modules"):
            self.announce("copied the front-end builds into api/static/vendor/", level=2)
        elif not vendor_files.complete(vendor_files.PACKAGE_DATA):
            self.warn("front-end packages missing (run npm ci and node frontend/build.cjs): pages without diagrams")
        super().run()


setup(cmdclass={"build_py": BuildWithVendor})
