using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Web.Tests.Components;

/// <summary>
/// Pages stay thin: no component of the web host gets a database context or its factory, by [Inject] or by its
/// constructor; the queries live in the studio core's services.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class ThinPagesTests
{
    [Fact]
    public void No_component_of_the_web_host_injects_a_database_context_or_its_factory()
    {
        var components = typeof(Program).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ComponentBase))).ToList();
        var offending = components.SelectMany(DatabaseInjections).ToList();

        // The scan sees the pages (and their injected services), so an empty list means something.
        Assert.Contains(components, t => t.Name == "Generate");
        Assert.Contains(components, t => t.Name == "Edit");
        Assert.NotEmpty(Injections(components.Single(t => t.Name == "Generate")));
        Assert.Empty(offending);
    }

    [Fact]
    public void The_scan_finds_a_factory_injected_by_attribute_and_a_context_taken_by_the_constructor()
    {
        Assert.Equal(["DbFactory"], DatabaseInjections(typeof(PageWithFactory)).Select(i => i.Split(' ')[^1]));
        Assert.Equal(["db"], DatabaseInjections(typeof(PageWithContext)).Select(i => i.Split(' ')[^1]));
        Assert.Empty(DatabaseInjections(typeof(PageWithService)));
    }

    private static IEnumerable<string> DatabaseInjections(Type component) =>
        Injections(component).Where(i => IsDatabase(i.Type)).Select(i => $"{component.FullName} injects {i.Type.Name} {i.Name}");

    // [Inject] properties of the component and its base classes (private ones too: @inject makes those), and the
    // parameters of its public constructors (components may take services there since .NET 9).
    private static IEnumerable<(Type Type, string Name)> Injections(Type component)
    {
        for (var type = component; type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (property.IsDefined(typeof(InjectAttribute), inherit: true))
                {
                    yield return (property.PropertyType, property.Name);
                }
            }
        }

        foreach (var parameter in component.GetConstructors().SelectMany(c => c.GetParameters()))
        {
            yield return (parameter.ParameterType, parameter.Name ?? "");
        }
    }

    private static bool IsDatabase(Type type) =>
        typeof(DbContext).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDbContextFactory<>));

    private sealed class PageWithFactory : ComponentBase
    {
        [Inject]
        private IDbContextFactory<StudioDbContext> DbFactory { get; set; } = default!;

        public bool HasFactory => DbFactory is not null;
    }

    private sealed class PageWithContext(StudioDbContext db) : ComponentBase
    {
        public bool HasContext => db is not null;
    }

    private sealed class PageWithService : ComponentBase
    {
        [Inject]
        private TimeProvider Clock { get; set; } = default!;

        public bool HasClock => Clock is not null;
    }
}
