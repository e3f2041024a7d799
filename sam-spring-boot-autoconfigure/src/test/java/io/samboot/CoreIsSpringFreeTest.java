package io.samboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The supervisor runs before any Spring context exists, and the plain-Java API must work without
 * Spring: nothing in the core packages may import Spring, and only the {@code Jna*} classes of the
 * native-access package may import JNA.
 */
class CoreIsSpringFreeTest {

    private static final Path SOURCES = Path.of("src/main/java/io/samboot");

    @Test
    void coreSourcesDoNotImportSpring() throws IOException {
        assertThat(coreSources().filter(file -> imports(file, "org.springframework")).collect(Collectors.toList()))
            .isEmpty();
    }

    @Test
    void onlyJnaClassesTouchJna() throws IOException {
        List<Path> offenders = coreSources()
            .filter(file -> imports(file, "com.sun.jna"))
            .filter(file -> !file.getFileName().toString().startsWith("Jna"))
            .collect(Collectors.toList());
        assertThat(offenders).isEmpty();
    }

    @Test
    void theCoreIsWhereWeLookForIt() throws IOException {
        assertThat(coreSources().count()).isGreaterThan(20);
    }

    private static Stream<Path> coreSources() throws IOException {
        return Files.walk(SOURCES)
            .filter(file -> file.toString().endsWith(".java"))
            .filter(file -> !file.startsWith(SOURCES.resolve("autoconfigure")) && !file.startsWith(SOURCES.resolve("actuate")))
            .collect(Collectors.toList())
            .stream();
    }

    /** Whether the file imports from the package (names in strings, such as a class looked up by name, are fine). */
    private static boolean imports(Path file, String packagePrefix) {
        try {
            return Pattern.compile("^import\\s+(static\\s+)?" + Pattern.quote(packagePrefix), Pattern.MULTILINE)
                .matcher(Files.readString(file)).find();
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
