package io.chainproof.spec;

import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The tries of a fuzz property and the count of what they met. A property class registers it with
 * {@code @AddLifecycleHook(FuzzTries.class)}; each of its properties then runs {@link #tries()} times —
 * {@value #DEFAULT} in the default build, {@code -Dchainproof.fuzz.tries=N} otherwise (the {@code fuzz} Maven
 * profile: 100,000) — records every try's outcome in {@link #tally()}, fails if its tries wrote into the working
 * directory, and prints one line when it ends:
 * <pre>{@code
 * SpecReaderFuzzProperties.mutated_specs_are_read_or_refused_naming_a_field: 1000 tries, 612 refused naming
 * 143 different fields, 388 read
 * }</pre>
 */
public final class FuzzTries implements AroundPropertyHook {

    /** The system property that sets the tries of every fuzz property. */
    public static final String PROPERTY = "chainproof.fuzz.tries";
    /** The tries of the default build. */
    public static final int DEFAULT = 1000;

    /** The count of the property now running (jqwik runs one property at a time). */
    private static Tally current;

    /** @return the tries of each fuzz property in this run */
    public static int tries() {
        return Integer.getInteger(PROPERTY, DEFAULT);
    }

    /** @return the count of the property now running; only inside a property of a class with this hook */
    public static Tally tally() {
        if (current == null) {
            throw new IllegalStateException("no fuzz property is running: register @AddLifecycleHook(FuzzTries.class)");
        }
        return current;
    }

    /** Applies to every property of the class that registers it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    /** Applies to {@code @Property} methods only: an {@code @Example} runs once. */
    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return element.filter(e -> e.isAnnotationPresent(Property.class)).isPresent();
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setTries(tries());
        Tally tally = new Tally();
        current = tally;
        Set<String> before = workingDirectory();
        try {
            PropertyExecutionResult result = property.execute();
            System.out.println(context.containerClass().getSimpleName() + "." + context.label() + ": "
                    + tally.line(result.countTries()));
            Set<String> after = workingDirectory();
            if (!after.equals(before) && result.status() == PropertyExecutionResult.Status.SUCCESSFUL) {
                after.removeAll(before);
                return result.mapToFailed("the tries wrote into the working directory: " + after);
            }
            return result;
        } finally {
            current = null;
        }
    }

    /** @return the names in the working directory: reading must write nothing there (nor anywhere) */
    private static Set<String> workingDirectory() {
        try (Stream<Path> files = Files.list(Path.of(""))) {
            return files.map(Path::toString).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the tries of one property met: how many were read, how many refused and in how many fields. */
    public static final class Tally {
        private int read;
        private int refused;
        private final Set<String> fields = new TreeSet<>();

        /** Counts a try whose input was read (or parsed) without complaint. */
        public void read() {
            read++;
        }

        /**
         * Counts a try whose input was refused.
         *
         * @param field the field the refusal named, digits of indices and positions replaced by {@code #}
         */
        public void refused(String field) {
            refused++;
            fields.add(field.replaceAll("[0-9]+", "#"));
        }

        String line(int tries) {
            return String.format(Locale.ROOT, "%d tries, %d refused naming %d different fields, %d read", tries,
                    refused, fields.size(), read);
        }
    }
}
