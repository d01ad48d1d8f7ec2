using System.Reflection;
using System.Text.RegularExpressions;
using CsCheck;

namespace WebStudio.Hardening.Tests.Parsers;

/// <summary>
/// Every regular expression of the studio runs in linear time (<see cref="RegexOptions.NonBacktracking"/>) or has a
/// match timeout. The loaded assemblies are searched for the instances; the sources under src/ for the constructions
/// and static calls, which also covers the assemblies this project does not load (the trainer).
/// </summary>
[Trait("Capability", "Hardening")]
public sealed class RegexLinearityTests
{
    private const BindingFlags Statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    [Fact]
    public void Every_regex_in_the_studios_assemblies_is_nonbacktracking_or_has_a_timeout()
    {
        var found = StudioAssemblies().SelectMany(Regexes).ToList();

        // The scan must see the patterns known today, or it proves nothing.
        Assert.Contains(found, r => r.Name == "WebStudio.Studio.History.A1111ParameterParser.Pair");
        Assert.Contains(found, r => r.Name == "WebStudio.Generation.Text.PromptAttentionParser.Attention");
        var offenders = found.Where(r => !IsLinearOrTimed(r.Regex)).Select(r => $"{r.Name}: /{r.Regex}/ ({r.Regex.Options})");
        Assert.True(!offenders.Any(), "Regexes that backtrack without a timeout:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Every_regex_written_in_the_sources_is_nonbacktracking_or_has_a_timeout()
    {
        var root = Path.Combine(RepositoryRoot(), "src");
        var sources = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(d => d is "obj" or "bin"))
            .ToList();

        var sites = sources.SelectMany(f => RegexSourceScan.Sites(File.ReadAllText(f))
            .Select(s => (File: Path.GetRelativePath(root, f), s.Line, s.Text, s.Linear))).ToList();

        Assert.Contains(sites, s => s.File.EndsWith("A1111ParameterParser.cs", StringComparison.Ordinal));
        var offenders = sites.Where(s => !s.Linear).Select(s => $"src/{s.File}:{s.Line}: {s.Text}");
        Assert.True(!offenders.Any(), "Regexes that backtrack without a timeout (add RegexOptions.NonBacktracking, or a timeout where "
            + "the pattern needs lookarounds or backreferences):\n" + string.Join("\n", offenders));
    }

    [Theory]
    [InlineData("var r = new Regex(\"(a+)+b\");", false)]
    [InlineData("var r = new Regex(\")\", RegexOptions.NonBacktracking);", true)]
    [InlineData("var r = new System.Text.RegularExpressions.Regex(\"a\", RegexOptions.None, TimeSpan.FromSeconds(1));", true)]
    [InlineData("Regex r = new(\"a(b)\");", false)]
    [InlineData("return Regex.IsMatch(s, @\"a(\"\")b\") || TimeSpan.Zero > t;", false)]
    [InlineData("return Regex.Replace(s, \"[)]\", \")\", RegexOptions.None, TimeSpan.FromSeconds(1));", true)]
    [InlineData("[GeneratedRegex(\"\"\"(a)\"\"\", RegexOptions.NonBacktracking)]", true)]
    [InlineData("[GeneratedRegex(@\"\\(\", RegexOptions.IgnoreCase)] private static partial Regex P(); // NonBacktracking", false)]
    [InlineData("[GeneratedRegex(\"x\", RegexOptions.None, matchTimeoutMilliseconds: 1000)]", true)]
    public void The_source_scan_tells_a_linear_or_timed_regex_from_a_backtracking_one(string source, bool linear)
    {
        var site = Assert.Single(RegexSourceScan.Sites(source));

        Assert.Equal(linear, site.Linear);
    }

    [Fact]
    public void Every_nonbacktracking_regex_finds_exactly_what_the_backtracking_engine_finds()
    {
        // Tokenization and prompt weights must not change with the engine: same matches, same groups, on text made of
        // the pieces the patterns care about (Kelvin sign and dotted I for IgnoreCase, escapes, quotes, BREAK...).
        string[] pieces =
        [
            "a", "Z", "é", "ß", "\u212A", "İ", "ı", "漢", "7", "٣", "½", " ", "  ", "\t", "\n", "\r", "\u00A0", "\u2028",
            "(", ")", "[", "]", ":", "|", "\\", "\"", "'", ",", ".", "-", "+", "/", "e", "E", "x", "X", "_", "<", ">",
            "BREAK", "break", "'s", "'LL", "'ve", "<|startoftext|>", "<|endoftext|>", "1.5", "-0.25e3", "64x64", "Steps: 20",
        ];
        var inputs = Gen.OneOf(pieces).Array[0, 40].Select(string.Concat);
        var linear = StudioAssemblies().SelectMany(Regexes).Where(r => r.Regex.Options.HasFlag(RegexOptions.NonBacktracking))
            .DistinctBy(r => (r.Regex.ToString(), r.Regex.Options)).ToList();
        Assert.NotEmpty(linear);

        foreach (var (name, regex) in linear)
        {
            var backtracking = new Regex(regex.ToString(), regex.Options & ~RegexOptions.NonBacktracking, TimeSpan.FromSeconds(5));
            inputs.Sample(text => Assert.True(Matches(regex, text) == Matches(backtracking, text), $"{name} differs on \"{text}\""),
                iter: 1000, threads: 1);
        }
    }

    private static string Matches(Regex regex, string text) => string.Join(";", regex.Matches(text).Select(m =>
        string.Join(",", m.Groups.Cast<Group>().Select(g => g.Success ? $"{g.Index}+{g.Length}" : "-"))));

    private static bool IsLinearOrTimed(Regex regex) =>
        regex.Options.HasFlag(RegexOptions.NonBacktracking) || regex.MatchTimeout != Regex.InfiniteMatchTimeout;

    /// <summary>The studio's assemblies beside the tests: the web app and everything it loads.</summary>
    private static IEnumerable<Assembly> StudioAssemblies() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "WebStudio.*.dll")
            .Where(f => !Path.GetFileName(f).Contains(".Tests", StringComparison.Ordinal))
            .Select(f => Assembly.LoadFrom(f));

    private static IEnumerable<(string Name, Regex Regex)> Regexes(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.OfType<Type>().ToArray();
        }

        foreach (var type in types.Where(t => !t.ContainsGenericParameters))
        {
            foreach (var field in type.GetFields(Statics).Where(f => typeof(Regex).IsAssignableFrom(f.FieldType)))
            {
                if (field.GetValue(null) is Regex regex)
                {
                    yield return ($"{type.FullName}.{field.Name}", regex);
                }
            }

            foreach (var property in type.GetProperties(Statics).Where(p => typeof(Regex).IsAssignableFrom(p.PropertyType) && p.GetIndexParameters().Length == 0))
            {
                if (property.GetValue(null) is Regex regex)
                {
                    yield return ($"{type.FullName}.{property.Name}", regex);
                }
            }

            foreach (var method in type.GetMethods(Statics).Where(m => m.IsDefined(typeof(GeneratedRegexAttribute)) && m.GetParameters().Length == 0))
            {
                yield return ($"{type.FullName}.{method.Name}", (Regex)method.Invoke(null, null)!);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "WebStudio.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("WebStudio.sln not found above " + AppContext.BaseDirectory);
    }
}
