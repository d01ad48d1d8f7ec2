using System.Globalization;

namespace WebStudio.Web.Components.Shared;

/// <summary>
/// Values of a page's query string, read from its text. A page takes them as strings: the framework's typed query
/// parameters throw on a value that does not parse, so "?job=x" in a pasted link would answer with the error page.
/// Here such a value reads as absent: the page answers as for an id that parses but names nothing of the user's
/// (Refine and Edit say that the image or thread was not found; Generate opens without the job).
/// </summary>
public static class QueryValues
{
    public static Guid? Guid(string? text) => System.Guid.TryParse(text, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static long? Long(string? text) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
