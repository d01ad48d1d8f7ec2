namespace WebStudio.Generation.Text;

/// <summary>A run of prompt text with one attention weight, or (<see cref="IsBreak"/>) an A1111 "BREAK".
/// A1111 marks BREAK by weight -1 alone; a flag keeps "(word:-1)" from being mistaken for one.</summary>
public readonly record struct PromptSegment(string Text, double Weight, bool IsBreak = false)
{
    public static PromptSegment Break { get; } = new("BREAK", -1, IsBreak: true);
}
