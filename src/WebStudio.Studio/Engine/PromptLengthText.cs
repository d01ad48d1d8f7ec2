namespace WebStudio.Studio.Engine;

/// <summary>The prompt fields' token count in A1111's words: "80/150 tokens" (text fills windows of 75 tokens).</summary>
public static class PromptLengthText
{
    public static string? Describe(PromptLength? length) => length switch
    {
        null => null,
        { Truncated: true } => $"{length.Tokens}/{length.Capacity} tokens: the text after token {length.Capacity} is ignored",
        _ => $"{length.Tokens}/{length.Capacity} tokens",
    };
}
