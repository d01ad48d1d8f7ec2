namespace WebStudio.Studio.ModelManagement;

/// <summary>An install, removal or default change that was refused or failed; the message says why, for people.</summary>
public sealed class ModelInstallException(string message, Exception? inner = null) : Exception(message, inner);
