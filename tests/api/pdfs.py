"""Reading the PDFs we print: text with pypdf, the first page as pixels with poppler's pdftoppm
(saved in test-artifacts/ for a person to look at)."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"


def text_of(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages), len(reader.pages)


def render(data: bytes, name: str) -> Image.Image:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: `make deps` installs it")
    ARTIFACTS.mkdir(exist_ok=True)
    src = ARTIFACTS / f"{name}.pdf"
    src.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(src),
            str(ARTIFACTS / name),
        ],
        check=True,
    )
    return Image.open(ARTIFACTS / f"{name}.png").convert("RGB")


def share(img: Image.Image, rgb: tuple[int, int, int]) -> float:
    """The share of the page's pixels that have (about) this colour."""
    px = np.asarray(img, dtype=int)
    near = (np.abs(px - np.array(rgb)) <= 6).all(axis=2)
    return float(near.mean())
