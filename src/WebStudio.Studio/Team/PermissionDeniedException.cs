namespace WebStudio.Studio.Team;

/// <summary>The caller's role does not allow the action (HTTP 403); the message names the role and the permission.</summary>
public sealed class PermissionDeniedException(string message) : Exception(message);
