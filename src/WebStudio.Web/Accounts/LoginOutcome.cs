namespace WebStudio.Web.Accounts;

public enum LoginResult
{
    SignedIn,

    /// <summary>No such account, a wrong password or a locked account: deliberately one answer.</summary>
    Refused,

    Throttled,
}

/// <summary>What a login attempt came to; <see cref="RetryAfter"/> is set when throttled.</summary>
public readonly record struct LoginOutcome(LoginResult Result, TimeSpan RetryAfter = default);
