#!/usr/bin/env python3
"""A `train-unet` or `train-edit` leg on a GPU machine (e.g. an H100), in PyTorch.

The trainer is TorchSharp on CPU; the GPU machine it targets has PyTorch with CUDA but no .NET, and takes in at most
64 MiB. `WebStudio.Trainer gpu-pack` (or `gpu-pack-edit`) writes what this script needs (latents, token ids,
categories, EMA checkpoints, reference outputs), so the script holds only the two networks, written to the same
parameter names as Models/*.cs, and UNetTrainer's (or EditTrainer's) training step. Before training it must
reproduce the TorchSharp networks' reference outputs (max |diff| <= 1e-4), and it writes TorchSharp checkpoints
(`text_encoder[_ema].dat`, `unet[_ema].dat`, `unet_state.json`; an edit pack's with `edit_` before each name and
`edit_state.json`) that `train-unet --resume` and `export` (`train-edit --resume` and `export-edit`) read as their own.

    python3 train_unet.py --pack PACK --out DIR --minutes 7 --cooldown-minutes 3 --batch 256 --lr 3e-4 \
        --category-weights "Position=3,Counting=2.5"
    python3 train_unet.py --pack EDIT_PACK --out DIR --minutes 8 --cooldown-minutes 3 --batch 512 --lr 3e-4 \
        --category-weights "Count=2,Replace=2"
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FLOAT32 = 6  # TorchSharp's ScalarType.Float32


# --- TorchSharp's Module.save format: LEB128 entry count; per entry a LEB128-prefixed UTF-8 name, LEB128 dtype,
# LEB128 rank, LEB128 dims, then the raw little-endian values.
def _read_leb(data, pos):
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def _leb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def read_checkpoint(path):
    data = open(path, "rb").read()
    count, pos = _read_leb(data, 0)
    entries = []
    for _ in range(count):
        length, pos = _read_leb(data, pos)
        name = data[pos:pos + length].decode("utf-8")
        pos += length
        dtype, pos = _read_leb(data, pos)
        if dtype != FLOAT32:
            raise ValueError(f"{path}: '{name}' has TorchSharp dtype {dtype}, not float32")
        rank, pos = _read_leb(data, pos)
        dims = []
        for _ in range(rank):
            dim, pos = _read_leb(data, pos)
            dims.append(dim)
        size = int(np.prod(dims)) if dims else 1
        values = np.frombuffer(data, dtype="<f4", count=size, offset=pos).reshape(dims)
        pos += size * 4
        entries.append((name, torch.from_numpy(values.copy())))
    if pos != len(data):
        raise ValueError(f"{path}: {len(data) - pos} bytes after the last tensor")
    return entries


def write_checkpoint(path, module, order):
    state = module.state_dict()
    if set(state) != set(order):
        raise ValueError(f"{path}: the network's tensors differ from the checkpoint's")
    out = bytearray(_leb(len(order)))
    for name in order:
        values = state[name].detach().float().cpu().contiguous().numpy()
        encoded = name.encode("utf-8")
        out += _leb(len(encoded)) + encoded + _leb(FLOAT32) + _leb(values.ndim)
        for dim in values.shape:
            out += _leb(dim)
        out += values.astype("<f4").tobytes()
    with open(path + ".tmp", "wb") as f:
        f.write(out)
    os.replace(path + ".tmp", path)


def load_checkpoint(module, path):
    entries = read_checkpoint(path)
    names = [name for name, _ in entries]
    missing = set(module.state_dict()) ^ set(names)
    if missing:
        raise ValueError(f"{path} does not match the network: {sorted(missing)[:5]}")
    module.load_state_dict(dict(entries))
    return names


# --- The networks, as Models/*.cs (same attribute names, so the same state-dict keys).
class Attention(nn.Module):
    def __init__(self, width, context_width, heads):
        super().__init__()
        self.heads = heads
        self.Query = nn.Linear(width, width, bias=False)
        self.Key = nn.Linear(context_width, width, bias=False)
        self.Value = nn.Linear(context_width, width, bias=False)
        self.Output = nn.Linear(width, width)

    def forward(self, x, context, mask=None):
        b, n, _ = x.shape
        m = context.shape[1]
        q = self.Query(x).reshape(b, n, self.heads, -1).transpose(1, 2)
        k = self.Key(context).reshape(b, m, self.heads, -1).permute(0, 2, 3, 1)
        v = self.Value(context).reshape(b, m, self.heads, -1).transpose(1, 2)
        scores = q.matmul(k) * (1.0 / math.sqrt(q.shape[3]))
        if mask is not None:
            scores = scores + mask
        mixed = scores.softmax(-1).matmul(v).transpose(1, 2)
        return self.Output(mixed.reshape(b, n, -1))


class FeedForward(nn.Module):
    def __init__(self, width, multiplier=4):
        super().__init__()
        self.Up = nn.Linear(width, width * multiplier)
        self.Down = nn.Linear(width * multiplier, width)

    def forward(self, x):
        return self.Down(F.gelu(self.Up(x)))


class TextBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.Norm1 = nn.LayerNorm(width)
        self.SelfAttention = Attention(width, width, heads)
        self.Norm2 = nn.LayerNorm(width)
        self.Mlp = FeedForward(width)

    def forward(self, x, mask):
        normed = self.Norm1(x)
        x = x + self.SelfAttention(normed, normed, mask)
        return x + self.Mlp(self.Norm2(x))


class TextEncoderNet(nn.Module):
    MASK_VALUE = -1e9

    def __init__(self, c):
        super().__init__()
        self.TokenEmbedding = nn.Embedding(c["VocabSize"], c["Width"])
        self.PositionEmbedding = nn.Parameter(torch.zeros(c["MaxLength"], c["Width"]))
        self.Blocks = nn.ModuleList([TextBlock(c["Width"], c["Heads"]) for _ in range(c["Layers"])])
        self.FinalNorm = nn.LayerNorm(c["Width"])
        length = c["MaxLength"]
        self.end_id, self.prompt_bidirectional = c["EndId"], c["PromptBidirectional"]
        # TorchSharp keeps the mask in the state dict (a registered tensor field), so it is a saved buffer here too.
        self.register_buffer("_causalMask", torch.ones(length, length).triu(1) * self.MASK_VALUE)

    def prompt_mask(self, ids):
        """TextEncoderNet.PromptMask: token i sees token j when j <= max(i, first EOS), [B,1,L,L]."""
        positions = torch.arange(ids.shape[1], dtype=torch.float32, device=ids.device)
        end = (ids == self.end_id).float().argmax(1, keepdim=True).float()
        allowed = positions.view(1, 1, -1) <= torch.maximum(positions[None, :], end)[:, :, None]
        zero = torch.zeros((), device=ids.device)
        return torch.where(allowed, zero, zero + self.MASK_VALUE)[:, None]

    def forward(self, ids):
        x = self.TokenEmbedding(ids) + self.PositionEmbedding
        mask = self.prompt_mask(ids) if self.prompt_bidirectional else self._causalMask
        for block in self.Blocks:
            x = block(x, mask)
        return self.FinalNorm(x)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, time_dim, groups):
        super().__init__()
        self.Norm1 = nn.GroupNorm(groups, cin)
        self.Conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.TimeProjection = nn.Linear(time_dim, cout)
        self.Norm2 = nn.GroupNorm(groups, cout)
        self.Conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.Skip = None if cin == cout else nn.Conv2d(cin, cout, 1)

    def forward(self, x, time):
        h = self.Conv1(F.silu(self.Norm1(x)))
        h = h + self.TimeProjection(time)[:, :, None, None]
        h = self.Conv2(F.silu(self.Norm2(h)))
        return (x if self.Skip is None else self.Skip(x)) + h


POSITION_FEATURES = 6


def position_features(x):
    """Each token's place, [B,H*W,6]: x and y in (-1,1), then the sines and cosines of pi*x and pi*y
    (SpatialTransformer.PositionFeatures)."""
    b, _, h, w = x.shape
    ones = torch.ones(b, 1, h, w, dtype=x.dtype, device=x.device)
    u = ((ones.cumsum(3) - 0.5) / ones.sum(3, keepdim=True)) * 2 - 1
    v = ((ones.cumsum(2) - 0.5) / ones.sum(2, keepdim=True)) * 2 - 1
    pu, pv = u * math.pi, v * math.pi
    features = torch.cat([u, v, pu.sin(), pv.sin(), pu.cos(), pv.cos()], 1)
    return features.reshape(b, POSITION_FEATURES, -1).transpose(1, 2)


class SpatialTransformer(nn.Module):
    def __init__(self, channels, context_dim, heads, groups, positions):
        super().__init__()
        self.Norm = nn.GroupNorm(groups, channels)
        self.ProjectIn = nn.Linear(channels, channels)
        self.Norm1 = nn.LayerNorm(channels)
        self.SelfAttention = Attention(channels, channels, heads)
        self.Norm2 = nn.LayerNorm(channels)
        self.CrossAttention = Attention(channels, context_dim, heads)
        self.Norm3 = nn.LayerNorm(channels)
        self.Mlp = FeedForward(channels)
        self.ProjectOut = nn.Linear(channels, channels)
        self.Position = nn.Linear(POSITION_FEATURES, channels) if positions else None

    def forward(self, x, context):
        b, c, h, w = x.shape
        tokens = self.ProjectIn(self.Norm(x).reshape(b, c, -1).transpose(1, 2))
        if self.Position is not None:
            tokens = tokens + self.Position(position_features(x))
        normed = self.Norm1(tokens)
        tokens = tokens + self.SelfAttention(normed, normed)
        tokens = tokens + self.CrossAttention(self.Norm2(tokens), context)
        tokens = tokens + self.Mlp(self.Norm3(tokens))
        tokens = self.ProjectOut(tokens)
        return x + tokens.transpose(1, 2).reshape(b, c, h, w)


TIME_FREQUENCIES = 64


class UNetNet(nn.Module):
    def __init__(self, c):
        super().__init__()
        ch = c["Channels"]
        levels = len(ch)
        self.first_attention = c["FirstAttentionLevel"]
        g, heads, td, cd, pos = c["Groups"], c["Heads"], c["TimeDim"], c["ContextDim"], c["PositionFeatures"]
        self.Time1 = nn.Linear(TIME_FREQUENCIES, td)
        self.Time2 = nn.Linear(td, td)
        # The latents, and an edit UNet's condition (the input image's latents) beside them (UNetConfig.SampleChannels).
        self.ConvIn = nn.Conv2d(c["InChannels"] + c.get("ConditionChannels", 0), ch[0], 3, padding=1)
        self.DownRes = nn.ModuleList([ResBlock(ch[0] if i == 0 else ch[i - 1], ch[i], td, g) for i in range(levels)])
        attention_levels = range(self.first_attention, levels)
        self.DownAttn = nn.ModuleList([SpatialTransformer(ch[i], cd, heads, g, pos) for i in attention_levels])
        self.Downsamplers = nn.ModuleList([nn.Conv2d(ch[i], ch[i], 3, stride=2, padding=1) for i in range(levels - 1)])
        self.MidRes1 = ResBlock(ch[-1], ch[-1], td, g)
        self.MidAttn = SpatialTransformer(ch[-1], cd, heads, g, pos)
        self.MidRes2 = ResBlock(ch[-1], ch[-1], td, g)
        self.Upsamplers = nn.ModuleList([nn.Conv2d(ch[i + 1], ch[i], 3, padding=1) for i in range(levels - 1)])
        self.UpRes = nn.ModuleList([ResBlock(2 * ch[i], ch[i], td, g) for i in range(levels)])
        self.UpAttn = nn.ModuleList([SpatialTransformer(ch[i], cd, heads, g, pos) for i in attention_levels])
        self.NormOut = nn.GroupNorm(g, ch[0])
        self.ConvOut = nn.Conv2d(ch[0], c["InChannels"], 3, padding=1)
        half = TIME_FREQUENCIES // 2
        frequencies = np.exp(-math.log(10000) * np.arange(half, dtype=np.float64) / half).astype(np.float32)
        self.register_buffer("frequencies", torch.from_numpy(frequencies), persistent=False)

    def attend(self, blocks, level, h, context):
        return blocks[level - self.first_attention](h, context) if level >= self.first_attention else h

    def forward(self, sample, timestep, context):
        args = timestep.float()[:, None] * self.frequencies[None, :]
        time = F.silu(self.Time2(F.silu(self.Time1(torch.cat([args.cos(), args.sin()], 1)))))
        h = self.ConvIn(sample)
        skips = []
        levels = len(self.DownRes)
        for i in range(levels):
            h = self.attend(self.DownAttn, i, self.DownRes[i](h, time), context)
            skips.append(h)
            if i < levels - 1:
                h = self.Downsamplers[i](h)
        h = self.MidRes2(self.MidAttn(self.MidRes1(h, time), context), time)
        for i in reversed(range(levels)):
            if i < levels - 1:
                h = self.Upsamplers[i](F.interpolate(h, scale_factor=2.0, mode="nearest"))
            h = self.attend(self.UpAttn, i, self.UpRes[i](torch.cat([h, skips[i]], 1), time), context)
        return self.ConvOut(F.silu(self.NormOut(h)))


# --- The pack.
SPELLING_SLOTS, SPELLING_CLASSES = 4, 27  # SpellingTargets.Slots, .Classes (26 letters and none)


def read_floats(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").reshape(shape).copy())


def load_pack(pack):
    info = json.load(open(os.path.join(pack, "pack.json")))
    shape = info["LatentShape"]
    with gzip.open(os.path.join(pack, "latents.i8.gz")) as f:
        latents = np.frombuffer(f.read(), dtype=np.int8).astype(np.float32) * info["LatentStep"]
    outliers = np.fromfile(os.path.join(pack, "outliers.bin"), dtype=[("index", "<i4"), ("value", "<f4")])
    if len(outliers) != info["Outliers"] or latents.size != int(np.prod(shape)):
        raise ValueError("the pack's latents do not match pack.json")
    latents[outliers["index"]] = outliers["value"]
    latents = latents.reshape(shape)
    if info.get("Edit"):
        # [N,2,4,h,w]: input, output; the input is stored at the output's scale (GpuEditPack.EditInfo.InputScale).
        latents[:, 0] *= info["Edit"]["InputScale"]
    with gzip.open(os.path.join(pack, "ids.u16.gz")) as f:
        ids = np.frombuffer(f.read(), dtype="<u2").astype(np.int64).reshape(info["Count"], -1)
    categories = np.fromfile(os.path.join(pack, "categories.u8"), dtype=np.uint8)
    if len(categories) != info["Count"]:
        raise ValueError("the pack's categories do not match pack.json")
    return info, torch.from_numpy(latents), torch.from_numpy(ids), torch.from_numpy(categories.astype(np.int64))


def load_placement(pack, info, device):
    """placement.bin (PlacementTargets' labels) as dense targets [N,77,2] and mask [N,77]."""
    labels = np.fromfile(os.path.join(pack, "placement.bin"), dtype=[("scene", "<i4"), ("token", "<i4"), ("x", "<f4"), ("y", "<f4")])
    if len(labels) != info["PlacementLabels"]:
        raise ValueError("the pack's placement labels do not match pack.json")
    length = info["Text"]["MaxLength"]
    targets = torch.zeros(info["Count"], length, 2)
    mask = torch.zeros(info["Count"], length)
    scene, token = torch.from_numpy(labels["scene"].astype(np.int64)), torch.from_numpy(labels["token"].astype(np.int64))
    targets[scene, token] = torch.from_numpy(np.stack([labels["x"], labels["y"]], 1))
    mask[scene, token] = 1
    return targets.to(device), mask.to(device)


def load_spelling(pack, info, device):
    """spelling.bin (SpellingTargets' labels) as dense letter classes [N,77,4] (26: none) and mask [N,77]."""
    labels = np.fromfile(os.path.join(pack, "spelling.bin"), dtype=[("scene", "<i4"), ("token", "<i4"), ("letters", "u1", (SPELLING_SLOTS,))])
    if len(labels) != info.get("SpellingLabels", 0):
        raise ValueError("the pack's spelling labels do not match pack.json")
    length = info["Text"]["MaxLength"]
    targets = torch.full((info["Count"], length, SPELLING_SLOTS), SPELLING_CLASSES - 1, dtype=torch.uint8)
    mask = torch.zeros(info["Count"], length)
    scene, token = torch.from_numpy(labels["scene"].astype(np.int64)), torch.from_numpy(labels["token"].astype(np.int64))
    targets[scene, token] = torch.from_numpy(labels["letters"])
    mask[scene, token] = 1
    return targets.to(device), mask.to(device)


def spelling_loss(logits, targets, mask):
    """SpellingTargets.Loss: cross-entropy per slot, averaged over the slots, over the masked tokens."""
    per_slot = F.cross_entropy(logits.reshape(-1, SPELLING_CLASSES), targets.reshape(-1).long(), reduction="none")
    per_token = per_slot.reshape(mask.shape[0], mask.shape[1], SPELLING_SLOTS).mean(2)
    return (per_token * mask).sum() / mask.sum().clamp(min=1)


def check_reference(pack, info, text, unet, device):
    """The port must give the TorchSharp networks' outputs before it may train them."""
    ref = info["Reference"]
    sample = read_floats(os.path.join(pack, "reference_sample.f32"), ref["SampleShape"]).to(device)
    ids = torch.tensor(ref["Ids"], dtype=torch.int64, device=device)
    with torch.no_grad():
        context = text(ids)
        eps = unet(sample, torch.tensor(ref["Timesteps"], device=device), context)
    want_context = read_floats(os.path.join(pack, "reference_context.f32"), context.shape).to(device)
    want_eps = read_floats(os.path.join(pack, "reference_eps.f32"), eps.shape).to(device)
    diffs = ((context - want_context).abs().max().item(), (eps - want_eps).abs().max().item())
    print(f"reference check: text encoder max |diff| {diffs[0]:.2e}, UNet max |diff| {diffs[1]:.2e}", flush=True)
    if max(diffs) > 1e-4:
        sys.exit("the PyTorch networks do not reproduce the TorchSharp ones; not training")


def category_weights(text, names):
    weights = {}
    for pair in filter(None, (p.strip() for p in (text or "").split(","))):
        name, _, value = pair.partition("=")
        match = [n for n in names if n.lower() == name.strip().lower()]
        if not match:
            sys.exit(f"--category-weights: '{name}' is none of {', '.join(names)}")
        weights[names.index(match[0])] = float(value)
    return weights


@torch.no_grad()
def ema_update(pairs, decay):
    """Ema.Update for [EMA parameters, online parameters] pairs, a few fused kernels per network."""
    for ema, online in pairs:
        torch._foreach_mul_(ema, decay)
        torch._foreach_add_(ema, online, alpha=1 - decay)


def alphas_cumprod(info):
    roots = np.linspace(math.sqrt(info["BetaStart"]), math.sqrt(info["BetaEnd"]), info["TrainSteps"], dtype=np.float64)
    return torch.from_numpy(np.cumprod(1 - roots * roots).astype(np.float32))


def rate_groups(text, unet, edit):
    """The optimiser's groups and each one's share of the rate: one for a base leg; for an edit leg EditTrainer's three
    (the UNet; its conv_in weights, whose image channels start at zero; the text encoder)."""
    if not edit:
        return [{"params": list(text.parameters()) + list(unet.parameters()), "scale": 1.0}]
    rest = [p for name, p in unet.named_parameters() if name != "ConvIn.weight"]
    return [{"params": rest, "scale": 1.0}, {"params": [unet.ConvIn.weight], "scale": edit["ConvInRateScale"]},
            {"params": list(text.parameters()), "scale": edit["TextRateScale"]}]


@torch.no_grad()
def image_share(text, unet, pairs, ids, alphas):
    """How much an edit UNet's prediction depends on the input image: |eps(image) - eps(zero image)| / |eps(image)| on
    a fixed batch of triples at timesteps across the schedule. Zero at the start (the image's conv_in weights are zero);
    an edit model that copies what the instruction does not name needs it well above zero."""
    generator = torch.Generator(device=pairs.device).manual_seed(17)
    x0, image = pairs[:, 1], pairs[:, 0]
    t = torch.linspace(0, len(alphas) - 1, len(pairs), device=pairs.device).long()
    abar = alphas[t].view(-1, 1, 1, 1)
    noisy = abar.sqrt() * x0 + (1 - abar).sqrt() * torch.randn(x0.shape, generator=generator, device=pairs.device)
    context = text(ids)
    with_image = unet(torch.cat([noisy, image], 1), t, context)
    without = unet(torch.cat([noisy, torch.zeros_like(image)], 1), t, context)
    return ((with_image - without).norm() / with_image.norm()).item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--cooldown-minutes", type=float, default=0)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--category-weights", default="", help="scene categories (an edit pack: edit kinds), e.g. \"Position=3\"")
    parser.add_argument("--save-minutes", type=float, default=1.5, help="checkpoint this often (a killed run keeps the last)")
    parser.add_argument("--slow-ema", type=float, default=0, help="also keep an EMA of this decay, saved as *_ema_slow.dat")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--layout-weight", type=float, default=1, help="up to this many times the loss weight where SNR < 0.2 (UNetTrainer's layoutWeight)")
    parser.add_argument("--placement-aux", type=float, default=0, help="weight of the placement probe loss (UNetTrainer's placementAux)")
    parser.add_argument("--spelling-aux", type=float, default=0, help="weight of the spelling probe loss (UNetTrainer's spellingAux)")
    parser.add_argument("--edit-identity", type=float, default=0,
                        help="an edit pack: this share of the samples has no instruction and the input scene as its target (EditTrainer's identityShare)")
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    print(f"device: {torch.cuda.get_device_name() if device.type == 'cuda' else 'CPU'}, torch {torch.__version__}", flush=True)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    info, latents, ids, categories = load_pack(args.pack)
    edit, prefix, state_file = info.get("Edit"), info.get("CheckpointPrefix", ""), info.get("StateFile", "unet_state.json")
    if edit and (args.placement_aux or args.spelling_aux):
        sys.exit("--placement-aux and --spelling-aux read captions; an edit pack has instructions")
    if args.edit_identity and not edit:
        sys.exit("--edit-identity needs an edit pack (gpu-pack-edit)")
    text_config = info["Text"]
    text, unet = TextEncoderNet(text_config).to(device), UNetNet(info["UNet"]).to(device)
    text_order = load_checkpoint(text, os.path.join(args.pack, prefix + "text_encoder_ema.dat"))
    unet_order = load_checkpoint(unet, os.path.join(args.pack, prefix + "unet_ema.dat"))
    check_reference(args.pack, info, text, unet, device)

    # Training: UNetTrainer's (EditTrainer's) step. TF32 from here on (the check above ran in full float32).
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.manual_seed(args.seed + info["Step"])
    twins = [(TextEncoderNet(text_config).to(device), text), (UNetNet(info["UNet"]).to(device), unet)]
    slow = [(TextEncoderNet(text_config).to(device), text), (UNetNet(info["UNet"]).to(device), unet)] if args.slow_ema else []
    for ema, net in twins + slow:
        ema.load_state_dict(net.state_dict())
        ema.requires_grad_(False)
    latents, ids = latents.to(device), ids.to(device)
    empty = torch.tensor(info["EmptyIds"], dtype=torch.int64, device=device)
    alphas = alphas_cumprod(info).to(device)
    weights = category_weights(args.category_weights, info["Categories"])
    sample_weights = torch.tensor([weights.get(int(c), 1.0) for c in range(len(info["Categories"]))], device=device)[categories.to(device)]
    if weights:
        print("category weights: " + ", ".join(f"{info['Categories'][c]} {w:g}" for c, w in weights.items()), flush=True)
    groups = rate_groups(text, unet, edit)
    if edit:
        print(f"edit: {info['Count']} triples (conv_in x{edit['ConvInRateScale']:g}, text x{edit['TextRateScale']:g}), "
              f"image share {image_share(text, unet, latents[:256], ids[:256], alphas):.3f}", flush=True)
    probe = speller = None
    if args.placement_aux > 0:
        # PlacementTargets: a linear probe on the noun states, a training aid that is not saved.
        placement_targets, placement_mask = load_placement(args.pack, info, device)
        probe = nn.Linear(text_config["Width"], 2).to(device)
        groups[0]["params"] += list(probe.parameters())
        print(f"placement probe: {int(placement_mask.sum().item())} labelled nouns, weight {args.placement_aux:g}", flush=True)
    if args.spelling_aux > 0:
        # SpellingTargets: a linear probe reading each letter slot of the word from each of its token states; not saved.
        spelling_targets, spelling_mask = load_spelling(args.pack, info, device)
        speller = nn.Linear(text_config["Width"], SPELLING_SLOTS * SPELLING_CLASSES).to(device)
        groups[0]["params"] += list(speller.parameters())
        print(f"spelling probe: {int(spelling_mask.sum().item())} labelled tokens, weight {args.spelling_aux:g}", flush=True)
    parameters = [p for group in groups for p in group["params"]]
    try:
        optimizer = torch.optim.AdamW(groups, args.lr, weight_decay=0.01, fused=device.type == "cuda")
    except TypeError:  # PyTorch before 2.0 has no fused AdamW
        optimizer = torch.optim.AdamW(groups, args.lr, weight_decay=0.01)
    ema_pairs = [[list(e.parameters()), list(n.parameters())] for e, n in twins]
    slow_pairs = [[list(e.parameters()), list(n.parameters())] for e, n in slow]

    budget, cooldown = args.minutes * 60, args.cooldown_minutes * 60
    start_step = step = info["Step"]
    minutes_before = info["Minutes"]
    clock = time.monotonic()
    last_save = clock
    running = None
    probe_running = spelling_running = None

    def save(final):
        names = [("text_encoder", text, text_order), ("unet", unet, unet_order)]
        for (ema, _), (part, _, order) in zip(twins, names):
            write_checkpoint(os.path.join(args.out, prefix + part + "_ema.dat"), ema, order)
        for (ema, _), (part, _, order) in zip(slow, names):
            write_checkpoint(os.path.join(args.out, prefix + part + "_ema_slow.dat"), ema, order)
        for part, net, order in names:
            write_checkpoint(os.path.join(args.out, prefix + part + ".dat"), net, order)
        state = {"Step": step, "Loss": running or 0.0, "Minutes": minutes_before + (time.monotonic() - clock) / 60}
        with open(os.path.join(args.out, state_file + ".tmp"), "w") as f:
            json.dump(state, f)
        os.replace(os.path.join(args.out, state_file + ".tmp"), os.path.join(args.out, state_file))
        print(f"{'saved' if final else 'checkpoint'} at step {step}", flush=True)

    os.makedirs(args.out, exist_ok=True)
    text.train()
    unet.train()
    while time.monotonic() - clock < budget:
        left = budget - (time.monotonic() - clock)
        cooling = max(0.05, left / cooldown) if cooldown > 0 and left < cooldown else 1.0
        lr = args.lr * min(1.0, (step - start_step + 1.0) / info["WarmupSteps"]) * cooling
        for group in optimizer.param_groups:
            group["lr"] = lr * group["scale"]
        index = torch.multinomial(sample_weights, args.batch, replacement=True)
        tokens = ids[index]
        if edit:
            # EditTrainer: r < 5%: no instruction; 5-10%: neither; 10-15%: no image (diffusers' train_instruct_pix2pix split).
            # With an identity share the first span is that share, and its target is the input scene.
            x0, image = latents[index, 1], latents[index, 0]
            r = torch.rand(args.batch, device=device)
            each = edit["DropoutEach"]
            first = args.edit_identity or each
            drop = r < first + each
            keep_image = ((r < first) | (r >= first + 2 * each)).float().view(-1, 1, 1, 1)
            if args.edit_identity:
                x0 = torch.where((r < first).view(-1, 1, 1, 1), image / edit["InputScale"], x0)
        else:
            x0 = latents[index]
            drop = torch.rand(args.batch, device=device) < info["PromptDropout"]
        tokens = torch.where(drop[:, None], empty[None, :], tokens)
        t = torch.randint(0, info["TrainSteps"], (args.batch,), device=device)
        noise = torch.randn_like(x0)
        abar = alphas[t].view(-1, 1, 1, 1)
        noisy = abar.sqrt() * x0 + (1 - abar).sqrt() * noise
        context = text(tokens)
        predicted = unet(torch.cat([noisy, image * keep_image], 1) if edit else noisy, t, context)
        snr = abar / (1 - abar)
        weight = snr.clamp(max=info["SnrGamma"]) / snr
        if args.layout_weight > 1:
            weight = weight * (info["LayoutSnr"] / snr).clamp(1.0, args.layout_weight)
        loss = (weight * (predicted - noise).square()).mean()
        kept = (~drop).float()[:, None]
        if probe is not None:
            mask = placement_mask[index] * kept
            error = (probe(context) - placement_targets[index]).square().sum(-1)
            probe_loss = (error * mask).sum() / mask.sum().clamp(min=1)
            loss = loss + args.placement_aux * probe_loss
        if speller is not None:
            spell_loss = spelling_loss(speller(context), spelling_targets[index], spelling_mask[index] * kept)
            loss = loss + args.spelling_aux * spell_loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        step += 1
        decay = min(0.999, (1.0 + step) / (10.0 + step))
        ema_update(ema_pairs, decay)
        ema_update(slow_pairs, args.slow_ema)
        if (step - start_step) % 100 == 0:
            value = loss.item()
            running = value if running is None else 0.9 * running + 0.1 * value
            if probe is not None:
                probe_running = probe_loss.item() if probe_running is None else 0.9 * probe_running + 0.1 * probe_loss.item()
            if speller is not None:
                spelling_running = spell_loss.item() if spelling_running is None else 0.9 * spelling_running + 0.1 * spell_loss.item()
            elapsed = time.monotonic() - clock
            if (step - start_step) % 500 == 0:
                extra = "" if probe_running is None else f" probe {probe_running:.4f}"
                extra += "" if spelling_running is None else f" spelling {spelling_running:.4f}"
                if edit:
                    extra += f" image share {image_share(twins[0][0], twins[1][0], latents[:256], ids[:256], alphas):.3f} (EMA)"
                print(f"step {step} loss {running:.4f} lr {lr:.2e} {elapsed:.0f}s ({(step - start_step) / elapsed:.1f} steps/s){extra}", flush=True)
        if time.monotonic() - last_save > args.save_minutes * 60:
            save(final=False)
            last_save = time.monotonic()
    save(final=True)
    loss_text = "not sampled yet" if running is None else f"{running:.4f}"
    print(f"trained {step - start_step} steps of {args.batch} in {time.monotonic() - clock:.0f}s, loss {loss_text}", flush=True)


if __name__ == "__main__":
    main()
