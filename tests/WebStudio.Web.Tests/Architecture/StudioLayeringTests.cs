using System.Reflection;
using System.Text.RegularExpressions;
using WebStudio.Studio;

namespace WebStudio.Web.Tests.Architecture;

/// <summary>
/// The studio core stays a library without ASP.NET Core, and its namespaces depend on each other in one direction
/// only (issue 17): Options and Previews at the bottom, then Storage, Engine, Queue, Execution, and the services.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed partial class StudioLayeringTests
{
    private static readonly Assembly Studio = typeof(StudioCoreServices).Assembly;

    [Fact]
    public void The_studio_core_references_no_asp_net_core_assembly()
    {
        var references = Studio.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.All(references, name => Assert.True(
            // Npgsql itself: the queue's signals use PostgreSQL's LISTEN/NOTIFY, which EF Core cannot express.
            // OpenTelemetry: every host exports its metrics the same way (Telemetry/StudioMetricsExport).
            // Microsoft.VisualBasic.Core: the framework's CSV reader (TextFieldParser) reads an X/Y plot's values.
            // YamlDotNet: wildcard collections in YAML, as sd-dynamic-prompts reads them.
            name is "netstandard" or "WebStudio.Generation" or "WebStudio.Data" or "Npgsql" or "OpenTelemetry" or "Microsoft.VisualBasic.Core" or "YamlDotNet"
            || new[] { "System", "Microsoft.Extensions.", "Microsoft.EntityFrameworkCore", "Npgsql.", "SixLabors.", "Microsoft.Win32.", "OpenTelemetry." }.Any(p => name.StartsWith(p, StringComparison.Ordinal)),
            $"the studio core references {name}"));
    }

    [Fact]
    public void The_studio_core_project_is_a_plain_library_of_the_core_and_data()
    {
        var project = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "WebStudio.Studio", "WebStudio.Studio.csproj"));

        Assert.Contains("<Project Sdk=\"Microsoft.NET.Sdk\">", project, StringComparison.Ordinal);
        Assert.DoesNotContain("FrameworkReference", project, StringComparison.Ordinal);
        var projects = ProjectReference().Matches(project).Select(m => Path.GetFileName(m.Groups[1].Value)).ToList();
        Assert.Equal(["WebStudio.Generation.csproj", "WebStudio.Data.csproj"], projects);
    }

    [Fact]
    public void The_studio_cores_namespaces_have_no_cycle()
    {
        var graph = NamespaceGraph(Path.Combine(RepositoryRoot(), "src", "WebStudio.Studio"));

        var cycle = FindCycle(graph);

        Assert.True(cycle is null, $"namespace cycle: {string.Join(" -> ", cycle ?? [])}");
        Assert.Contains("Queue", graph["Execution"]); // the graph is read at all
    }

    /// <summary>Namespace → the studio namespaces its files name (usings and qualified names), from the sources:
    /// a method body's use counts as much as a signature's.</summary>
    private static Dictionary<string, HashSet<string>> NamespaceGraph(string folder)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var own = Declared().Match(text).Groups[1].Value;
            var edges = graph.TryGetValue(own, out var found) ? found : graph[own] = [];
            foreach (Match m in Named().Matches(text))
            {
                if (m.Groups[1].Value != own)
                {
                    edges.Add(m.Groups[1].Value);
                }
            }
        }

        return graph;
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>(); // 1 on the path, 2 done
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            if (state.GetValueOrDefault(node) == 1)
            {
                return [.. path.SkipWhile(n => n != node), node];
            }

            if (state.GetValueOrDefault(node) == 2)
            {
                return null;
            }

            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        return graph.Keys.Select(Visit).FirstOrDefault(c => c is not null);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebStudio.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No WebStudio.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^namespace WebStudio\.Studio(?:\.(\w+))?;", RegexOptions.Multiline | RegexOptions.NonBacktracking)]
    private static partial Regex Declared();

    [GeneratedRegex(@"WebStudio\.Studio\.(\w+)", RegexOptions.NonBacktracking)]
    private static partial Regex Named();

    [GeneratedRegex("""<ProjectReference Include="([^"]+)" """, RegexOptions.NonBacktracking)]
    private static partial Regex ProjectReference();
}
