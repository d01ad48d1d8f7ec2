namespace WebStudio.Web.Options;

/// <summary>
/// The "SingleSignOn" section of appsettings.json: sign-in through an OpenID Connect provider (Keycloak, Microsoft
/// Entra ID, Google, Authentik…). Off while <see cref="Authority"/> or <see cref="ClientId"/> is empty.
/// </summary>
public sealed class SingleSignOnOptions
{
    public const string Section = "SingleSignOn";

    /// <summary>The authentication scheme's name; also the login provider stored with each linked account.</summary>
    public const string Scheme = "oidc";

    /// <summary>The provider's issuer URL (its discovery document is at /.well-known/openid-configuration below it).</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>Scopes asked for besides "openid", "profile" and "email" (always asked for), e.g. "groups".</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The provider's name on the login page's button: "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>The claim whose values map to roles (e.g. "groups" or "roles").</summary>
    public string RoleClaim { get; set; } = "groups";

    /// <summary>Claim value → studio role ("studio-admins" → "Admin"); applied on every sign-in.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    /// <summary>The role of an account whose claims match no entry of <see cref="RoleMap"/>; none to give no role.</summary>
    public string? DefaultRole { get; set; }

    /// <summary>Whether a first sign-in creates the account; else only accounts linked already may sign in.</summary>
    public bool AutoCreateAccounts { get; set; } = true;

    /// <summary>Whether email and password accounts (the login form and registration) stay on beside single sign-on.</summary>
    public bool LocalAccounts { get; set; } = true;

    /// <summary>Whether the provider must be reached over HTTPS (turn off only for a provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether claims are also read from the provider's userinfo endpoint (when the ID token lacks email or groups).</summary>
    public bool GetClaimsFromUserInfoEndpoint { get; set; }

    /// <summary>Where the provider sends the browser back; register "{studio URL}{CallbackPath}" as the redirect URI.</summary>
    public string CallbackPath { get; set; } = "/signin-oidc";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>Whether password sign-in and registration are allowed: always without single sign-on.</summary>
    public bool LocalAccountsAllowed => LocalAccounts || !Enabled;
}
