using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace WebStudio.Hardening.Tests.Accounts;

/// <summary>The login form, posted as a browser posts it by one client (the page's antiforgery token is fetched once).</summary>
public sealed partial class LoginForm(HttpClient http)
{
    public const string Path = "/Account/Login";

    private string? _token;

    public async Task<LoginAnswer> PostAsync(string email, string password)
    {
        _token ??= await StudioAccountForms.AntiforgeryTokenAsync(http, Path);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = _token,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsync(Path, form);
        var page = await response.Content.ReadAsStringAsync();
        clock.Stop();
        var message = ErrorMessage().Match(page);
        return new LoginAnswer(
            response.StatusCode,
            message.Success ? WebUtility.HtmlDecode(message.Groups[1].Value) : null,
            response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null,
            clock.Elapsed);
    }

    [GeneratedRegex(">(Error: [^<]*)<")]
    private static partial Regex ErrorMessage();
}

/// <param name="Message">The page's error message, if it shows one.</param>
/// <param name="RetryAfterSeconds">The Retry-After header, if any.</param>
/// <param name="Took">From sending the form to the end of the answer.</param>
public sealed record LoginAnswer(HttpStatusCode Status, string? Message, int? RetryAfterSeconds, TimeSpan Took)
{
    public const string Refusal = "Error: wrong email or password.";

    public bool SignedIn => Status == HttpStatusCode.Redirect;

    /// <summary>The one answer to a missing account, a wrong password and a locked account.</summary>
    public bool Refused => Status == HttpStatusCode.OK && Message == Refusal && RetryAfterSeconds is null;

    public bool Throttled => Status == HttpStatusCode.TooManyRequests && RetryAfterSeconds >= 1
        && Message == $"Error: too many login attempts. Try again in {RetryAfterSeconds} second{(RetryAfterSeconds == 1 ? "" : "s")}.";
}
