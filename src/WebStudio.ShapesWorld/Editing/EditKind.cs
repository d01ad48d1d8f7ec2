namespace WebStudio.ShapesWorld.Editing;

/// <summary>The seven instruction edits of the built-in world (issue 22).</summary>
public enum EditKind { Recolour, Add, Remove, Move, Background, Count, Replace }

/// <summary>Which input scenes a stream draws: training ones, or the held-out ones the edit suite is made of.</summary>
public enum EditSplit { Training, HeldOut }
