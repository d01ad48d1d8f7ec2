using System.Net;
using System.Text.RegularExpressions;

namespace WebStudio.Tests.Shared;

/// <summary>
/// The studio's account forms posted as a browser posts them: the page's antiforgery token first, then the fields
/// with the form's handler name. One copy for every test assembly, over any <see cref="HttpClient"/> that keeps
/// cookies and does not follow redirects.
/// </summary>
public static partial class StudioAccountForms
{
    public const string RegisterPath = "/Account/Register";

    /// <summary>The antiforgery token of the form on <paramref name="path"/>.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient http, string path)
    {
        var page = await http.GetStringAsync(path);
        var token = AntiforgeryField().Match(page);
        return token.Success
            ? WebUtility.HtmlDecode(token.Groups[1].Value)
            : throw new InvalidOperationException($"{path} has no antiforgery token (is the form closed to this user?)");
    }

    /// <summary>Posts <paramref name="fields"/> to the form on <paramref name="path"/> whose handler is <paramref name="handler"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string handler, IReadOnlyDictionary<string, string> fields)
    {
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(http, path),
            ["_handler"] = handler,
        };
        return await http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>Registers <paramref name="email"/>; the client then holds the new account's cookie. A refusal
    /// (anything but the redirect that follows success) throws with the status and the page.</summary>
    public static async Task RegisterAsync(HttpClient http, string email, string password)
    {
        using var response = await PostAsync(http, RegisterPath, "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"registering {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"", RegexOptions.NonBacktracking)]
    private static partial Regex AntiforgeryField();
}
