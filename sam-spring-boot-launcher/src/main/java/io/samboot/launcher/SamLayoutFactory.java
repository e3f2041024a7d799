package io.samboot.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;

import org.springframework.boot.loader.tools.CustomLoaderLayout;
import org.springframework.boot.loader.tools.Layout;
import org.springframework.boot.loader.tools.LayoutFactory;
import org.springframework.boot.loader.tools.Layouts;
import org.springframework.boot.loader.tools.LoaderClassesWriter;

/**
 * The executable-jar layout of Spring Boot with {@link SamJarLauncher} as its
 * {@code Main-Class}. Use it in {@code spring-boot-maven-plugin}:
 *
 * <pre>{@code
 * <configuration>
 *   <layoutFactory implementation="io.samboot.launcher.SamLayoutFactory"/>
 * </configuration>
 * <dependencies>
 *   <dependency>
 *     <groupId>io.samboot</groupId>
 *     <artifactId>sam-spring-boot-launcher</artifactId>
 *     <version>...</version>
 *   </dependency>
 * </dependencies>
 * }</pre>
 */
public final class SamLayoutFactory implements LayoutFactory {

	@Override
	public Layout getLayout(File source) {
		return new SamJarLayout();
	}

	/**
	 * Spring Boot's jar layout, its loader classes, plus {@link SamJarLauncher} in the
	 * root.
	 */
	static final class SamJarLayout extends Layouts.Jar implements CustomLoaderLayout {

		@Override
		public String getLauncherClassName() {
			return SamJarLauncher.class.getName();
		}

		@Override
		public void writeLoadedClasses(LoaderClassesWriter writer) throws IOException {
			writer.writeLoaderClasses();
			String entry = SamJarLauncher.class.getName().replace('.', '/') + ".class";
			try (InputStream launcher = SamJarLayout.class.getClassLoader().getResourceAsStream(entry)) {
				if (launcher == null) {
					throw new IOException(entry + " is missing from sam-spring-boot-launcher's jar");
				}
				writer.writeEntry(entry, launcher);
			}
		}

	}

}
