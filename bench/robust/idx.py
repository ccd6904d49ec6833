"""idx.py — reading and writing IDX files (MNIST's format), unsigned bytes or big-endian float32, for the robustness set."""
import math
import struct

import numpy as np

_TYPES = {0x08: np.dtype(np.uint8), 0x0D: np.dtype(">f4")}


def read(path, rank):
    """The array stored in the IDX file at `path`, which must have `rank` dimensions (1: labels, 3: images)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 + 4 * rank or data[0] != 0 or data[1] != 0 or data[2] not in _TYPES or data[3] != rank:
        raise ValueError(f"{path} is not an IDX file of rank {rank} (unsigned bytes or float32)")
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    dtype = _TYPES[data[2]]
    if len(data) != 4 + 4 * rank + math.prod(dims) * dtype.itemsize:
        raise ValueError(f"{path} is truncated or too long for its dimensions {dims}")
    return np.frombuffer(data, dtype=dtype, offset=4 + 4 * rank).reshape(dims)


def write(path, array):
    """Writes `array` (uint8, or float32 stored big-endian) as an IDX file of its rank."""
    array = np.asarray(array)
    if array.dtype == np.uint8:
        code, body = 0x08, array.tobytes()
    elif array.dtype.kind == "f":
        code, body = 0x0D, array.astype(">f4").tobytes()
    else:
        raise ValueError(f"IDX of {array.dtype} is not written here: use uint8 or float32")
    with open(path, "wb") as f:
        f.write(bytes([0, 0, code, array.ndim]))
        f.write(struct.pack(">" + "i" * array.ndim, *array.shape))
        f.write(body)


def to_bytes(images):
    """Pixels in [0, 1] as MNIST's bytes (rounded, clipped)."""
    return np.clip(np.rint(np.asarray(images) * 255.0), 0, 255).astype(np.uint8)
