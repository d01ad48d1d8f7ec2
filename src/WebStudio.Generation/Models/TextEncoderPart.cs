using WebStudio.Generation.Text;

namespace WebStudio.Generation.Models;

/// <summary>One text encoder of a model and its own tokenizer (SDXL's tokenizer_2 pads with "!"), named by its folder.</summary>
public sealed record TextEncoderPart(ClipTokenizer Tokenizer, TextEncoder Encoder, string Folder);
