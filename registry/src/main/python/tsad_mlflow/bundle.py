"""Reads and verifies a tsad model bundle, as tsad's Java ModelBundle.load does.

A bundle is manifest.pb (format version, model and data spec, sha256 and size of every file), manifest.json (its
human-readable view), manifest.sha256 (the seal: sha256 of manifest.pb and manifest.json), model.pt (libtorch
weights), scaler.pb, threshold.pb and provenance.pb. The protobuf messages are read with the descriptor set that
tsad's build writes from tsad.proto (tsad.desc, next to this file), so no generated code can go stale.
"""

import hashlib
import math
import os
import re

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

FORMAT_VERSION = 2
UNSEALED_FORMAT = 1
MANIFEST = "manifest.pb"
JSON = "manifest.json"
SEAL = "manifest.sha256"
WEIGHTS = "model.pt"
SCALER = "scaler.pb"
THRESHOLD = "threshold.pb"
PROVENANCE = "provenance.pb"
REQUIRED = (WEIGHTS, SCALER, THRESHOLD, PROVENANCE)
DESCRIPTOR_SET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tsad.desc")


class BundleError(Exception):
    """A bundle that is missing, incomplete, modified or not one tsad can score with."""


def _messages():
    """The message classes of tsad.proto, built from the descriptor set the build compiled from it."""
    try:
        with open(DESCRIPTOR_SET, "rb") as f:
            files = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    except OSError as e:
        raise BundleError(f"the tsad protobuf descriptor set {DESCRIPTOR_SET} cannot be read ({e}); "
                          "this copy of tsad_mlflow is incomplete") from e
    pool = descriptor_pool.DescriptorPool()
    for fd in files.file:
        pool.Add(fd)
    names = ("BundleManifest", "ScalerParams", "ThresholdParams", "Provenance")
    return {n: message_factory.GetMessageClass(pool.FindMessageTypeByName("tsad." + n)) for n in names}


_MESSAGES = None


def messages():
    """The protobuf message classes (built once)."""
    global _MESSAGES
    if _MESSAGES is None:
        _MESSAGES = _messages()
    return _MESSAGES


def _sha256(b):
    return hashlib.sha256(b).hexdigest()


def _read(directory, name):
    """The bytes of a bundle file, or None when it does not exist."""
    try:
        with open(os.path.join(directory, name), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise BundleError(f"cannot read {directory}/{name}: {e}") from e


_SEAL_LINE = re.compile(r"([0-9a-f]{64}) [ *]([^/\\\\]+)")


def _parse_seal(location, text):
    """The name -> sha256 map of a seal: 'SHA256  NAME' lines (plain names), as the Java Sha256Sums reads it."""
    try:
        lines = text.decode("utf-8").split("\n")
    except UnicodeDecodeError as e:
        raise BundleError(f"{location}/{SEAL} is corrupt: not UTF-8; refusing to load it") from e
    if lines and lines[-1] == "":
        lines.pop()
    sums = {}
    for i, line in enumerate(lines):
        x = _SEAL_LINE.fullmatch(line)
        if x is None or x.group(2) in sums:
            raise BundleError(f"{location}/{SEAL} is corrupt: line {i + 1} is not 'SHA256  NAME' with a new name; "
                              "refusing to load it")
        sums[x.group(2)] = x.group(1)
    return sums


class Bundle:
    """A verified bundle: its manifest, scaler, threshold and the bytes of model.pt."""

    def __init__(self, location, manifest, scaler, threshold, weights, content_hash):
        self.location = location
        self.manifest = manifest
        self.scaler = scaler
        self.threshold = threshold
        self.weights = weights
        self.content_hash = content_hash

    @property
    def model_spec(self):
        """The ModelSpec message: architecture and sizes."""
        return self.manifest.model

    @property
    def data_spec(self):
        """The DataSpec message: columns and windowing."""
        return self.manifest.data


def load(directory):
    """Loads and verifies the bundle in ``directory``; a BundleError says what is wrong."""
    location = str(directory)
    if not os.path.isdir(location):
        raise BundleError(f"model bundle {location} does not exist or is not a directory")
    m = messages()
    manifest_bytes = _read(location, MANIFEST)
    if manifest_bytes is None:
        raise BundleError(f"{location} is not a tsad model bundle: {MANIFEST} is missing")
    seal = _read(location, SEAL)
    if seal is not None:
        _verify_seal(location, seal, manifest_bytes)
    try:
        manifest = m["BundleManifest"].FromString(manifest_bytes)
    except Exception as e:  # the protobuf runtime raises DecodeError (or others, by implementation)
        raise BundleError(f"{location}/{MANIFEST} is corrupt: {e}") from e
    if manifest.format_version not in (FORMAT_VERSION, UNSEALED_FORMAT):
        raise BundleError(f"{location} has bundle format version {manifest.format_version}; this tsad_mlflow reads "
                          f"versions {UNSEALED_FORMAT} and {FORMAT_VERSION}")
    if seal is None and manifest.format_version != UNSEALED_FORMAT:
        # Only format 1 predates the seal: removing the seal of a newer bundle does not make it load unchecked.
        raise BundleError(f"{location} is incomplete: {SEAL} is missing, so {MANIFEST} cannot be verified; "
                          "refusing to load it")
    files = {}
    for f in manifest.files:
        if f.name not in REQUIRED or f.name in files:
            raise BundleError(f"{location}/{MANIFEST} lists a file '{f.name}' that is not a bundle file (or twice); "
                              "refusing to load it")
        b = _read(location, f.name)
        if b is None:
            raise BundleError(f"{location} is incomplete: {f.name} is listed in the manifest but missing")
        actual = _sha256(b)
        if len(b) != f.size or actual != f.sha256:
            raise BundleError(f"{location}: {f.name} does not match its sha256 in the manifest (expected "
                              f"{f.sha256}, got {actual}): the bundle was modified or damaged after it was written; "
                              "refusing to load it")
        files[f.name] = b
    for r in REQUIRED:
        if r not in files:
            raise BundleError(f"{location} is incomplete: its manifest does not list {r}")
    try:
        scaler = m["ScalerParams"].FromString(files[SCALER])
        threshold = m["ThresholdParams"].FromString(files[THRESHOLD])
        m["Provenance"].FromString(files[PROVENANCE])
    except Exception as e:
        raise BundleError(f"{location}: a bundle file is not valid protobuf: {e}") from e
    _check_values(location, manifest, scaler, threshold)
    return Bundle(location, manifest, scaler, threshold, files[WEIGHTS], _sha256(manifest_bytes))


def _verify_seal(location, seal_bytes, manifest_bytes):
    """Requires the seal to list exactly manifest.pb and manifest.json, and both files to match it."""
    sums = _parse_seal(location, seal_bytes)
    if set(sums) != {MANIFEST, JSON}:
        raise BundleError(f"{location}/{SEAL} seals {sorted(sums)}, not {MANIFEST} and {JSON}; refusing to load it")
    json_bytes = _read(location, JSON)
    if json_bytes is None:
        raise BundleError(f"{location} is incomplete: {JSON} is sealed in {SEAL} but missing")
    for name, b in ((MANIFEST, manifest_bytes), (JSON, json_bytes)):
        if _sha256(b) != sums[name]:
            raise BundleError(f"{location}: {name} does not match its sha256 in {SEAL}: the bundle was modified or "
                              "damaged after it was written; refusing to load it")


def _check_values(location, manifest, scaler, threshold):
    """The value checks of the Java BundleChecks that scoring depends on: shapes agree, numbers are usable."""
    where = f"{location}/{MANIFEST}"
    model, data = manifest.model, manifest.data
    t, f = model.window_length, model.features
    if model.arch not in (1, 2, 3):
        raise BundleError(f"{where}: unknown model architecture (enum value {model.arch}); refusing to load it")
    if t < 2 or f < 1 or data.window_length != t:
        raise BundleError(f"{where}: window length {t} / features {f} do not fit its data spec")
    names = list(data.feature_columns)
    if len(names) != f or len(set(names)) != f or "" in names:
        raise BundleError(f"{where}: its data spec names features {names} but its model takes F={f} distinct features")
    if not data.slice_column or not data.time_column or data.stride < 1:
        raise BundleError(f"{where}: its data spec names no slice or time column, or has no stride")
    if len(scaler.center) != f or len(scaler.scale) != f:
        raise BundleError(f"{location}/{SCALER}: the scaler is not for the model's {f} features")
    for c, s in zip(scaler.center, scaler.scale):
        if not math.isfinite(c) or not (s > 0) or not math.isfinite(s):
            raise BundleError(f"{location}/{SCALER}: a scaler center or scale is not usable ({c}, {s})")
    if not math.isfinite(threshold.value):
        raise BundleError(f"{location}/{THRESHOLD}: the threshold is {threshold.value}; a fitted one is finite")
