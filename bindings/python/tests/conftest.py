"""Shared fixtures: the repository's paths, the command built from it, a local Spark."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SEEDS = sorted((REPO / "tests" / "data").glob("0*.txt"))


def cli_path() -> Path:
    """The `paradedup` command: $PARADEDUP_BIN, or the release build in the target directory."""
    if os.environ.get("PARADEDUP_BIN"):
        return Path(os.environ["PARADEDUP_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "release" / "paradedup"


@pytest.fixture(scope="session")
def cli() -> Path:
    path = cli_path()
    if not path.exists():
        pytest.fail(
            f"{path} not found: build the command first with "
            "`cargo build --release -p paradedup-cli` (or set PARADEDUP_BIN)"
        )
    return path


def run_cli(cli: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(cli), *args], capture_output=True, text=True)


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    # Workers must import the same paradedup as the tests.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("paradedup-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
