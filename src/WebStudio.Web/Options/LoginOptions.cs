using WebStudio.Studio.Options;
namespace WebStudio.Web.Options;

/// <summary>
/// The "Login" section of appsettings.json: how the login form throttles password attempts. A client is its remote
/// address (an IPv6 address by its /64 network); an account is the email typed, whether or not such an account
/// exists, so that throttling tells nothing about which accounts exist.
/// </summary>
public sealed class LoginOptions
{
    public const string Section = "Login";

    /// <summary>Password attempts one client may make per <see cref="ClientWindow"/>, on all accounts together.</summary>
    public int AttemptsPerClient { get; set; } = 30;

    public TimeSpan ClientWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Password checks one account may get per <see cref="AccountWindow"/>, from all clients together.</summary>
    public int AttemptsPerAccount { get; set; } = 20;

    public TimeSpan AccountWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed attempts one client may make on one account before it has to wait between attempts.</summary>
    public int FailuresBeforeBackoff { get; set; } = 5;

    /// <summary>The wait after the last free failure; it doubles with each further failure, up to <see cref="LongestBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait; a client and account pair quiet for this long past its wait starts afresh.</summary>
    public TimeSpan LongestBackoff { get; set; } = TimeSpan.FromMinutes(15);
}
