using Microsoft.EntityFrameworkCore;

namespace WebStudio.Data;

/// <summary>
/// What the model needs on PostgreSQL on top of the shared configurations. Kept here, in one place, so that the
/// SQLite model (and so its migrations) stays exactly as it was.
/// </summary>
internal static class PostgresModel
{
    public static void Apply(ModelBuilder builder)
    {
        // PostgreSQL folds unquoted names to lower case, so its constraint names the columns in quotes; SQLite keeps
        // the text its migrations created.
        builder.Entity<ShareLink>().ToTable(t => t.HasCheckConstraint("CK_ShareLinks_OneTarget", "(\"GalleryId\" IS NULL) <> (\"ImageId\" IS NULL)"));
    }
}
