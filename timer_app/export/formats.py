"""Provides the file formats an exported session is written in, chosen by the file's suffix:
encoding with soundfile (libsndfile: WAV, Ogg Vorbis, Ogg Opus, MP3) and the chapters written
with mutagen (ID3 CHAP/CTOC frames in MP3, CHAPTERxxx comments in Ogg).

soundfile, numpy and mutagen are imported by the functions that use them: nothing here is
loaded unless a session is being exported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from timer_app.export.chapters import Chapter, timestamp

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["FORMATS", "AudioFormat", "cue_sheet_of", "encode", "format_for", "tag"]

BLOCK = 2.0
"""Seconds of audio handed to the encoder at a time (the progress bar moves with them). Small:
libvorbis takes stack space in proportion to one write, and a long one overflows it (a crash
libsndfile's tracker knows of; writing in blocks is the cure it gives)."""


@dataclass(frozen=True)
class AudioFormat:
    """How a file with one suffix is written."""

    name: str
    """As people call it: "MP3", "Ogg Vorbis"."""
    container: str
    """libsndfile's major format."""
    codec: str
    """libsndfile's subtype."""
    rate: int | None = None
    """The sample rate the codec needs (Opus takes only a few), else None: the mix's own."""


FORMATS = {
    ".wav": AudioFormat("WAV", "WAV", "PCM_16"),
    ".mp3": AudioFormat("MP3", "MP3", "MPEG_LAYER_III"),
    ".ogg": AudioFormat("Ogg Vorbis", "OGG", "VORBIS"),
    # Opus codes at 8, 12, 16, 24 or 48 kHz only: 24 kHz keeps all of the mix's 22.05 kHz.
    ".opus": AudioFormat("Ogg Opus", "OGG", "OPUS", rate=24000),
}
"""By suffix (lower case)."""


def format_for(path: Path) -> AudioFormat | None:
    return FORMATS.get(path.suffix.lower())


def cue_sheet_of(path: Path) -> Path | None:
    """The cue sheet written beside a WAV file (which has no chapters of its own), else None."""
    fmt = format_for(path)
    return path.with_suffix(".cue") if fmt is not None and fmt.container == "WAV" else None


def encode(
    samples: npt.NDArray[np.int16],
    rate: int,
    path: Path,
    fmt: AudioFormat,
    *,
    title: str,
    progress: Callable[[float], None],
) -> None:
    """Write mono `samples` at `rate` to `path` (an existing, empty file) as `fmt`, telling
    `progress` the share done as it goes."""
    import soundfile

    if fmt.rate is not None and fmt.rate != rate:
        samples = _resampled(samples, rate, fmt.rate)
        rate = fmt.rate
    block = max(1, round(BLOCK * rate))
    with soundfile.SoundFile(
        path, "w", samplerate=rate, channels=1, format=fmt.container, subtype=fmt.codec
    ) as sink:
        if fmt.container == "WAV":
            sink.title = title  # a LIST/INFO chunk; the other formats are tagged by `tag`
        for start in range(0, len(samples), block):
            sink.write(samples[start : start + block])
            progress(min(1.0, (start + block) / max(1, len(samples))))
    progress(1.0)


def _resampled(samples: npt.NDArray[np.int16], source: int, target: int) -> npt.NDArray[np.int16]:
    """Linear interpolation: the mix holds nothing above 11 kHz, so nothing is lost."""
    import numpy as np

    count = round(len(samples) * target / source)
    where = np.arange(count) * (source / target)
    resampled: npt.NDArray[np.int16] = (
        np.interp(where, np.arange(len(samples)), samples).round().astype(np.int16)
    )
    return resampled


def tag(path: Path, fmt: AudioFormat, *, title: str, chapters: tuple[Chapter, ...]) -> None:
    """Give the file its title and chapters (a WAV has neither: a cue sheet goes beside it)."""
    if fmt.container == "MP3":
        _tag_mp3(path, title, chapters)
    elif fmt.container == "OGG":
        _tag_ogg(path, fmt, title, chapters)


def _tag_mp3(path: Path, title: str, chapters: tuple[Chapter, ...]) -> None:
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, TSSE, CTOCFlags

    tags = ID3()
    tags.add(TIT2(encoding=3, text=[title]))
    tags.add(TSSE(encoding=3, text=["stretch-timer"]))
    ids = [f"chp{number}" for number in range(len(chapters))]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=[title])],
        )
    )
    for element_id, chapter in zip(ids, chapters, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    tags.save(path)


def _tag_ogg(path: Path, fmt: AudioFormat, title: str, chapters: tuple[Chapter, ...]) -> None:
    from mutagen.oggopus import OggOpus
    from mutagen.oggvorbis import OggVorbis

    audio = OggOpus(path) if fmt.codec == "OPUS" else OggVorbis(path)
    assert audio.tags is not None  # libsndfile always writes a comment header
    audio.tags["TITLE"] = [title]
    audio.tags["ENCODER"] = ["stretch-timer"]
    for number, chapter in enumerate(chapters, 1):
        audio.tags[f"CHAPTER{number:03d}"] = [timestamp(chapter.start)]
        audio.tags[f"CHAPTER{number:03d}NAME"] = [chapter.title]
    audio.save()
