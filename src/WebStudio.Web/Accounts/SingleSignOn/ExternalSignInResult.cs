namespace WebStudio.Web.Accounts.SingleSignOn;

/// <summary>What a return from the OpenID Connect provider came to; the login page words each refusal.</summary>
public enum ExternalSignInResult
{
    SignedIn,

    /// <summary>No external sign-in to finish: the provider refused, or the round trip expired or was forged.</summary>
    Failed,

    /// <summary>No account is linked to this identity and <c>AutoCreateAccounts</c> is off.</summary>
    NoAccount,

    /// <summary>The account is disabled (locked out).</summary>
    Disabled,

    /// <summary>A new account needs an email address and the provider sent none.</summary>
    NoEmail,

    /// <summary>A local account has this email, and the provider does not vouch for the address (email_verified).</summary>
    EmailTaken,
}
