// What the package installs for the desktop (packaging/): the MIME types, compiled by the real
// update-mime-database as the package's trigger does, make *.atl models (by name and by their
// first bytes) and *.atelier projects Atelier's; the .desktop entry opens both and passes
// desktop-file-validate; the AppStream metadata passes appstreamcli; every hicolor icon size is
// there at its size.
#include <QFile>
#include <QImage>
#include <QMap>
#include <QMimeDatabase>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kPackaging = QStringLiteral(ATELIER_SOURCE_DIR "/packaging");

// Runs a tool; its output is shown when it fails.
void expectSuccess(const QString& program, const QStringList& arguments) {
  QProcess process;
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.start(program, arguments);
  QVERIFY2(process.waitForFinished(60000), qPrintable(program + QStringLiteral(" did not finish")));
  QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
           qPrintable(program + QStringLiteral(": ") + QString::fromUtf8(process.readAll())));
}

}  // namespace

class DesktopIntegrationTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(data_.isValid());
    QVERIFY(QDir().mkpath(data_.filePath(QStringLiteral("mime/packages"))));
    QVERIFY(QFile::copy(kPackaging + QStringLiteral("/org.atelier.Atelier.mime.xml"),
                        data_.filePath(QStringLiteral("mime/packages/org.atelier.Atelier.xml"))));
    expectSuccess(QStringLiteral("update-mime-database"), {data_.filePath(QStringLiteral("mime"))});
    // Read before the first QMimeDatabase: ours first, then the system's (application/json).
    qputenv("XDG_DATA_DIRS", (data_.path() + QStringLiteral(":/usr/share")).toUtf8());
  }

  void modelsAndProjectsAreAteliersFileTypes() {
    QMimeDatabase db;
    QCOMPARE(db.mimeTypeForFile(QStringLiteral("cat.atl"), QMimeDatabase::MatchExtension).name(),
             QStringLiteral("application/x-atelier-model"));
    // A model renamed without its extension is still known by its first bytes.
    const QByteArray header = QByteArray("ATELIER\x1a", 8) + QByteArray(56, '\x01');
    QCOMPARE(db.mimeTypeForData(header).name(), QStringLiteral("application/x-atelier-model"));
    const QMimeType project =
        db.mimeTypeForFile(QStringLiteral("demo.atelier"), QMimeDatabase::MatchExtension);
    QCOMPARE(project.name(), QStringLiteral("application/x-atelier-project"));
    QVERIFY(project.inherits(QStringLiteral("application/json")));
  }

  void theDesktopEntryOpensBoth() {
    const QString entry = kPackaging + QStringLiteral("/atelier.desktop");
    expectSuccess(QStringLiteral("desktop-file-validate"), {entry});
    QFile file(entry);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    QMap<QString, QString> keys;  // not QSettings: a ';' there starts a comment
    for (const QString& line : QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'))) {
      const int equals = line.indexOf(QLatin1Char('='));
      if (equals > 0) keys.insert(line.left(equals), line.mid(equals + 1));
    }
    const QStringList types = keys.value(QStringLiteral("MimeType")).split(QLatin1Char(';'));
    QVERIFY(types.contains(QStringLiteral("application/x-atelier-model")));
    QVERIFY(types.contains(QStringLiteral("application/x-atelier-project")));
    QCOMPARE(keys.value(QStringLiteral("Exec")), QStringLiteral("atelier %f"));
  }

  void theAppStreamMetadataIsValid() {
    expectSuccess(QStringLiteral("appstreamcli"),
                  {QStringLiteral("validate"), QStringLiteral("--no-net"),
                   kPackaging + QStringLiteral("/org.atelier.Atelier.metainfo.xml")});
  }

  void everyIconSizeIsDrawnAtItsSize() {
    for (int size : {16, 24, 32, 48, 64, 128}) {
      const QImage icon(
          QStringLiteral(ATELIER_SOURCE_DIR "/resources/icons/atelier-%1.png").arg(size));
      QCOMPARE(icon.size(), QSize(size, size));
    }
    QCOMPARE(QImage(QStringLiteral(ATELIER_SOURCE_DIR "/resources/icons/atelier.png")).size(),
             QSize(256, 256));
  }

 private:
  QTemporaryDir data_;
};

QTEST_MAIN(DesktopIntegrationTest)
#include "desktop_integration_test.moc"
