; Inno Setup 6 script: installs the PyInstaller one-folder bundle (build\dist\prelude).
; Built by packaging\windows\build.ps1. NOT verified here: written and reviewed on Linux.

#define AppVersion "0.1.0"

[Setup]
AppId={{6F1D2C8E-5B7A-4E0C-9A43-2D0F7B1E9C55}
AppName=Prelude
AppVersion={#AppVersion}
AppPublisher=The Prelude developers
DefaultDirName={autopf}\Prelude
DefaultGroupName=Prelude
OutputDir=..\..\build
OutputBaseFilename=Prelude-{#AppVersion}-setup
SetupIconFile=..\..\build\prelude.ico
UninstallDisplayIcon={app}\prelude.exe
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
PrivilegesRequiredOverridesAllowed=dialog

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\build\dist\prelude\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Prelude"; Filename: "{app}\prelude.exe"
Name: "{group}\{cm:UninstallProgram,Prelude}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Prelude"; Filename: "{app}\prelude.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\prelude.exe"; Description: "{cm:LaunchProgram,Prelude}"; Flags: nowait postinstall skipifsilent
