using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddTeamAdmin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Details = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Invitations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UsedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Invitations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RolePolicies",
                columns: table => new
                {
                    Role = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CanGenerate = table.Column<bool>(type: "INTEGER", nullable: false),
                    AllowedModels = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    MaxSide = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxSteps = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxBatch = table.Column<int>(type: "INTEGER", nullable: true),
                    CanUseApi = table.Column<bool>(type: "INTEGER", nullable: false),
                    CanShare = table.Column<bool>(type: "INTEGER", nullable: false),
                    CanUpscale = table.Column<bool>(type: "INTEGER", nullable: false),
                    ImagesPerDay = table.Column<int>(type: "INTEGER", nullable: true),
                    GpuSecondsPerDay = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxQueued = table.Column<int>(type: "INTEGER", nullable: true),
                    SubmissionsPerMinute = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RolePolicies", x => x.Role);
                });

            migrationBuilder.CreateTable(
                name: "UserQuotas",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ImagesPerDay = table.Column<int>(type: "INTEGER", nullable: true),
                    GpuSecondsPerDay = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxQueued = table.Column<int>(type: "INTEGER", nullable: true),
                    SubmissionsPerMinute = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserQuotas", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_UserQuotas_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "RolePolicies",
                columns: new[] { "Role", "AllowedModels", "CanGenerate", "CanShare", "CanUpscale", "CanUseApi", "GpuSecondsPerDay", "ImagesPerDay", "MaxBatch", "MaxQueued", "MaxSide", "MaxSteps", "SubmissionsPerMinute" },
                values: new object[,]
                {
                    { "Admin", "", true, true, true, true, null, null, null, null, null, null, null },
                    { "Member", "", true, true, true, true, null, null, null, null, null, null, null },
                    { "Viewer", "", false, false, false, false, null, null, null, null, null, null, null }
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_At",
                table: "AuditLog",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_TokenHash",
                table: "Invitations",
                column: "TokenHash",
                unique: true);

            // The audit log is append-only: the database itself refuses to change or remove an entry.
            migrationBuilder.Sql("CREATE TRIGGER TR_AuditLog_NoUpdate BEFORE UPDATE ON AuditLog BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER TR_AuditLog_NoDelete BEFORE DELETE ON AuditLog BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS TR_AuditLog_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS TR_AuditLog_NoDelete;");

            migrationBuilder.DropTable(
                name: "AuditLog");

            migrationBuilder.DropTable(
                name: "Invitations");

            migrationBuilder.DropTable(
                name: "RolePolicies");

            migrationBuilder.DropTable(
                name: "UserQuotas");
        }
    }
}
