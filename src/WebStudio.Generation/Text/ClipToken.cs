namespace WebStudio.Generation.Text;

/// <summary>One BPE token: its id and its vocabulary string (byte-level symbols, "&lt;/w&gt;" ending a word).</summary>
public readonly record struct ClipToken(int Id, string Text);
