#!/usr/bin/env python3
"""How much the model's denoising loss depends on a relation word, next to a colour word.

For the pack's relation scenes ("a star above a ring"), the EMA networks' epsilon loss at a few timesteps with the
caption as written, with its relation word swapped (above/over <-> below/under, left <-> right), and with its first
colour word changed. A model that draws relations by chance loses nothing when the relation is swapped. The same
noise and timesteps serve every variant, so the differences are the model's, not the sampling's. CPU or GPU.

    python3 relation_loss.py --pack PACK --checkpoints DIR --vocab models/webstudio-shapes/tokenizer/vocab.json
"""
import argparse
import json
import os

import torch

import train_unet as T

SWAPS = {"above": "below", "over": "under", "below": "above", "under": "over", "beneath": "above",
         "left": "right", "right": "left"}
# Object colours that never name a background, so the change is always to an object.
COLOURS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", required=True)
    parser.add_argument("--checkpoints", required=True, help="folder with text_encoder_ema.dat and unet_ema.dat")
    parser.add_argument("--vocab", required=True)
    parser.add_argument("--scenes", type=int, default=96)
    parser.add_argument("--timesteps", default="800,600,400")
    args = parser.parse_args()

    info, latents, ids, _ = T.load_pack(args.pack)
    text, unet = T.TextEncoderNet(info["Text"]), T.UNetNet(info["UNet"])
    T.load_checkpoint(text, os.path.join(args.checkpoints, "text_encoder_ema.dat"))
    T.load_checkpoint(unet, os.path.join(args.checkpoints, "unet_ema.dat"))
    text.eval()
    unet.eval()
    vocab = json.load(open(args.vocab))
    token = {word: vocab[word + "</w>"] for word in list(SWAPS) + COLOURS + ["of"]}
    swap = {token[a]: token[b] for a, b in SWAPS.items()}
    colours = [token[c] for c in COLOURS]

    def is_relation(row):
        r = row.tolist()
        return any(t in swap and (t not in (token["left"], token["right"]) or (i + 1 < len(r) and r[i + 1] == token["of"]))
                   for i, t in enumerate(r))

    scenes = [i for i in range(len(ids)) if is_relation(ids[i])][:args.scenes]
    if not scenes:
        raise SystemExit("the pack holds no relation captions")

    def relation_swapped(row):
        return torch.tensor([swap.get(t, t) for t in row.tolist()])

    def colour_changed(row):
        r = row.tolist()
        at = next((i for i, t in enumerate(r) if t in colours), None)
        if at is not None:
            r[at] = colours[(colours.index(r[at]) + 3) % len(colours)]
        return torch.tensor(r)

    variants = {"as written": lambda row: row, "relation swapped": relation_swapped, "colour changed": colour_changed}
    alphas = T.alphas_cumprod(info)
    print(f"{len(scenes)} relation scenes, EMA weights of '{args.checkpoints}'")
    with torch.no_grad():
        for t in (int(v) for v in args.timesteps.split(",")):
            losses = {}
            for name, change in variants.items():
                total = 0.0
                for start in range(0, len(scenes), 32):
                    chunk = scenes[start:start + 32]
                    x0 = latents[chunk]
                    noise = torch.randn(x0.shape, generator=torch.Generator().manual_seed(t * 7 + start))
                    abar = alphas[t]
                    noisy = abar.sqrt() * x0 + (1 - abar).sqrt() * noise
                    context = text(torch.stack([change(ids[i]) for i in chunk]))
                    eps = unet(noisy, torch.full((len(chunk),), float(t)), context)
                    total += (eps - noise).square().mean(dim=(1, 2, 3)).sum().item()
                losses[name] = total / len(scenes)
            base = losses["as written"]
            print(f"t={t}: loss {base:.5f}; relation swapped {losses['relation swapped'] / base - 1:+.1%}, "
                  f"colour changed {losses['colour changed'] / base - 1:+.1%}", flush=True)


if __name__ == "__main__":
    main()
