"""Tiny random-weight models of the real classes, saved with the libraries' own savers.

Shared by the engine tests (session fixtures in conftest.py) and the bench scripts, so
everything here runs offline in seconds on a couple of CPU cores. The weights are random:
these models exercise loading, batching, seeding and shapes, never quality.

    build_tiny_lm(dir)    -> a LlamaForCausalLM + byte-level BPE tokenizer with a chat template
    build_tiny_sd(dir)    -> a StableDiffusionPipeline (UNet, VAE, CLIP text encoder, tokenizer)
    build_tiny_sd_inpaint(dir) -> the same as a StableDiffusionInpaintPipeline (9-channel UNet)
    build_tiny_clip(dir)  -> an open_clip model directory (open_clip_config.json + weights),
                             loadable as ClipScorer(model=dir) or model="local-dir:<dir>"
"""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = [
    "Fresh coffee beans roasted every morning for busy people who love a good cup.",
    "Running shoes that keep your feet light on long weekend trails.",
    "Learn more about our new savings account with no monthly fees.",
    "Shop now and get free delivery on your first order of fresh groceries.",
    "Discover more ways to relax with our weekend spa packages.",
    '{"headline": "Brew better mornings", "body": "Fresh beans, roasted daily.", '
    '"cta": "Shop now", "image_concept": "a steaming cup of coffee on a wooden table"}',
    "Sign up today for a free trial of the app that plans your meals.",
    "Young parents, students, retirees, commuters and outdoor enthusiasts.",
    "Bright colours, natural light, a clean studio photo of the product.",
]

CHAT_TEMPLATE = (
    "{% for message in messages %}<|{{ message['role'] }}|>\n"
    "{{ message['content'] }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)

TINY_CLIP_CONFIG = {
    "embed_dim": 32,
    "vision_cfg": {"image_size": 32, "layers": 2, "width": 32, "head_width": 16, "patch_size": 8},
    "text_cfg": {"context_length": 32, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 2},
}


def _seed(seed: int) -> None:
    import torch

    torch.manual_seed(seed)


def build_lm_tokenizer(vocab_size: int = 400):
    """A byte-level BPE trained offline on CORPUS, wrapped as a transformers fast tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=["<|endoftext|>", "<|pad|>", "<|end|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS * 4, trainer=trainer)
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|endoftext|>",
        pad_token="<|pad|>",
        bos_token="<|endoftext|>",
        model_max_length=2048,
    )
    wrapped.chat_template = CHAT_TEMPLATE
    return wrapped


def build_tiny_lm(directory: str | Path, seed: int = 0) -> Path:
    """A 2-layer Llama with hidden size 32 and its tokenizer, saved with save_pretrained."""
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer = build_lm_tokenizer()
    _seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(config)
    model.generation_config = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP's reversible byte -> printable unicode map."""
    bs = list(range(ord("!"), ord("~") + 1))
    bs += list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs], strict=True))


def clip_char_vocab() -> dict[str, int]:
    """A character-level CLIP BPE vocabulary (every byte, with and without </w>); no merges."""
    chars = list(_bytes_to_unicode().values())
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for ch in chars:
        vocab[ch] = len(vocab)
    for ch in chars:
        vocab[ch + "</w>"] = len(vocab)
    return vocab


def build_tiny_sd(directory: str | Path, seed: int = 0) -> Path:
    """Follows diffusers' StableDiffusionPipelineFastTests.get_dummy_components."""
    from diffusers import StableDiffusionPipeline

    directory = Path(directory)
    pipe = StableDiffusionPipeline(**_tiny_sd_components(seed, in_channels=4))
    pipe.save_pretrained(directory)
    return directory


def build_tiny_sd_inpaint(directory: str | Path, seed: int = 0) -> Path:
    """A StableDiffusionInpaintPipeline: the UNet takes 9 channels (noisy latents, mask,
    masked-image latents), as in diffusers' StableDiffusionInpaintPipelineFastTests.
    The directory name holds "inpaint", as real checkpoints' names do."""
    from diffusers import StableDiffusionInpaintPipeline

    directory = Path(directory)
    pipe = StableDiffusionInpaintPipeline(**_tiny_sd_components(seed, in_channels=9))
    pipe.save_pretrained(directory)
    return directory


def _tiny_sd_components(seed: int, in_channels: int) -> dict:
    from diffusers import AutoencoderKL, DDIMScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    tokenizer = CLIPTokenizer(vocab=clip_char_vocab(), merges=[], model_max_length=77)
    _seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=(4, 8),
        layers_per_block=1,
        sample_size=32,
        in_channels=in_channels,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        norm_num_groups=2,
    )
    scheduler = DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    _seed(seed)
    vae = AutoencoderKL(
        block_out_channels=[4, 8],
        in_channels=3,
        out_channels=3,
        down_block_types=["DownEncoderBlock2D", "DownEncoderBlock2D"],
        up_block_types=["UpDecoderBlock2D", "UpDecoderBlock2D"],
        latent_channels=4,
        norm_num_groups=2,
    )
    _seed(seed)
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
            hidden_size=32,
            intermediate_size=64,
            layer_norm_eps=1e-05,
            num_attention_heads=4,
            num_hidden_layers=2,
            vocab_size=len(tokenizer),
            max_position_embeddings=77,
        )
    )
    return {
        "unet": unet,
        "scheduler": scheduler,
        "vae": vae,
        "text_encoder": text_encoder,
        "tokenizer": tokenizer,
        "safety_checker": None,
        "feature_extractor": None,
        "requires_safety_checker": False,
    }


def build_tiny_clip(directory: str | Path, seed: int = 0) -> Path:
    """An open_clip model directory: open_clip_config.json + open_clip_model.safetensors.

    Also writes TinyCLIP.json / tiny_clip.pt next to them for the classic
    `add_model_config(json) + create_model_and_transforms("TinyCLIP", pretrained=pt)` route.
    """
    import open_clip
    import torch
    from safetensors.torch import save_file

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = {
        "model_cfg": TINY_CLIP_CONFIG,
        "preprocess_cfg": {
            "mean": [0.48145466, 0.4578275, 0.40821073],
            "std": [0.26862954, 0.26130258, 0.27577711],
        },
    }
    (directory / "open_clip_config.json").write_text(json.dumps(config, indent=2))
    (directory / "TinyCLIP.json").write_text(json.dumps(TINY_CLIP_CONFIG, indent=2))
    _seed(seed)
    model = open_clip.CLIP(**TINY_CLIP_CONFIG)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(directory / "open_clip_model.safetensors"))
    torch.save(state, directory / "tiny_clip.pt")
    return directory


def build_all(root: str | Path) -> dict[str, Path]:
    root = Path(root)
    return {
        "lm": build_tiny_lm(root / "lm"),
        "sd": build_tiny_sd(root / "sd"),
        "sd_inpaint": build_tiny_sd_inpaint(root / "sd-inpaint"),
        "clip": build_tiny_clip(root / "clip"),
    }


def build_tiny_segformer(directory: str | Path, seed: int = 0) -> Path:
    """A tiny random-weight SegFormer for semantic segmentation (2 labels: background,
    product) with its image processor, as STUDIO_MATTING_MODEL would point at."""
    from transformers import (
        SegformerConfig,
        SegformerForSemanticSegmentation,
        SegformerImageProcessor,
    )

    _seed(seed)
    config = SegformerConfig(
        num_channels=3, num_encoder_blocks=2, depths=[1, 1], sr_ratios=[2, 1],
        hidden_sizes=[8, 16], patch_sizes=[7, 3], strides=[4, 2], num_attention_heads=[1, 1],
        mlp_ratios=[2, 2], decoder_hidden_size=16, num_labels=2,
        id2label={0: "background", 1: "product"}, label2id={"background": 0, "product": 1},
    )  # fmt: skip
    SegformerForSemanticSegmentation(config).save_pretrained(directory)
    SegformerImageProcessor(size={"height": 64, "width": 64}).save_pretrained(directory)
    return Path(directory)
