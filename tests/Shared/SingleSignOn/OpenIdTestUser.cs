namespace WebStudio.Tests.Shared;

/// <summary>A person known to the test's OpenID Connect provider; <see cref="Groups"/> go out as the "groups" claim.</summary>
public sealed record OpenIdTestUser(string Name, string Email, params string[] Groups)
{
    public const string Password = "provider-password";

    /// <summary>The provider's stable identifier of the person (the "sub" claim).</summary>
    public string Subject => $"sub-{Name}";

    /// <summary>Whether the provider vouches for <see cref="Email"/> (the "email_verified" claim).</summary>
    public bool EmailVerified { get; init; } = true;
}
